// Tone placement: the "new style" puts the mark on the second vowel of oa, oe, uy when the cluster ends the syllable
// ("hòa", "thủy"); sources mix both styles ("Hoà"/"Hòa"), so names are normalised to one before comparing.
const OLD_TO_NEW: ReadonlyArray<[RegExp, string]> = [
  [/([oO])([àáảãạ])(?![a-zA-Zà-ỹÀ-Ỹđ])/g, 'a'],
  [/([oO])([ÀÁẢÃẠ])(?![a-zA-Zà-ỹÀ-Ỹđ])/g, 'A'],
  [/([oO])([èéẻẽẹ])(?![a-zA-Zà-ỹÀ-Ỹđ])/g, 'e'],
  [/([oO])([ÈÉẺẼẸ])(?![a-zA-Zà-ỹÀ-Ỹđ])/g, 'E'],
  // After q, u is part of the consonant "qu": "quý" keeps its mark on y.
  [/(?<![qQ])([uU])([ỳýỷỹỵ])(?![a-zA-Zà-ỹÀ-Ỹđ])/g, 'y'],
  [/(?<![qQ])([uU])([ỲÝỶỸỴ])(?![a-zA-Zà-ỹÀ-Ỹđ])/g, 'Y'],
];

const TONE_OF: Record<string, number> = {};
for (const [base, marked] of [
  ['a', 'àáảãạ'],
  ['A', 'ÀÁẢÃẠ'],
  ['e', 'èéẻẽẹ'],
  ['E', 'ÈÉẺẼẸ'],
  ['y', 'ỳýỷỹỵ'],
  ['Y', 'ỲÝỶỸỴ'],
] as const) {
  [...marked].forEach((ch, i) => {
    TONE_OF[`${base}${ch}`] = i;
  });
}
const TONED_O: Record<string, readonly string[]> = { o: ['ò', 'ó', 'ỏ', 'õ', 'ọ'], O: ['Ò', 'Ó', 'Ỏ', 'Õ', 'Ọ'] };
const TONED_U: Record<string, readonly string[]> = { u: ['ù', 'ú', 'ủ', 'ũ', 'ụ'], U: ['Ù', 'Ú', 'Ủ', 'Ũ', 'Ụ'] };

/** NFC plus one tone-placement rule, so "Hoà" equals "Hòa" and "Thuỷ" equals "Thủy". */
export function normaliseVietnamese(s: string): string {
  let out = s.normalize('NFC');
  for (const [pattern, base] of OLD_TO_NEW) {
    out = out.replace(pattern, (_m, first: string, marked: string) => {
      const tone = TONE_OF[`${base}${marked}`] ?? 0;
      const table = base.toLowerCase() === 'y' ? TONED_U : TONED_O;
      return `${table[first]?.[tone] ?? first}${base}`;
    });
  }
  return out;
}

/** Lower case without diacritics, đ → d, punctuation to spaces, spaces collapsed: "Đăng ký" → "dang ky". */
export function foldVietnamese(s: string): string {
  return s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[đĐ]/g, 'd')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

/** Folded, de-duplicated search tokens (at most 12) of a user's query. */
export function searchTokens(query: string): string[] {
  return [...new Set(foldVietnamese(query).split(' ').filter((t) => t !== ''))].slice(0, 12);
}
