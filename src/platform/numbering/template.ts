import type { NumberingResetPeriod } from '../db/schema.ts';

/**
 * Number templates: literal text with tokens. Parts ({agency} the e-identifier of an agency, {unit} an org
 * abbreviation, {type} a document-type abbreviation) are supplied by the allocating code; date tokens come from the
 * allocation date (Asia/Ho_Chi_Minh); {seq} is the value, {seq:N} the value zero-padded to at least N digits and
 * growing past them (TT 04/2025: "at least 4 digits").
 */
export const PART_TOKENS = ['agency', 'unit', 'type'] as const;
export type PartToken = (typeof PART_TOKENS)[number];
const DATE_TOKENS = ['yyyy', 'yy', 'MM', 'dd', 'yyMMdd', 'yyyyMMdd'] as const;
type DateToken = (typeof DATE_TOKENS)[number];

export const TEMPLATE_TOKENS_HELP = '{agency} {unit} {type} {yyyy} {yy} {MM} {dd} {yyMMdd} {yyyyMMdd} {seq} {seq:N}';

type Segment = { readonly kind: 'text'; readonly text: string } | { readonly kind: 'token'; readonly name: string; readonly width: string | undefined; readonly raw: string };

const TOKEN = /\{([A-Za-z]+)(?::(\d+))?\}/g;

function segmentsOf(template: string): Segment[] {
  const out: Segment[] = [];
  let last = 0;
  for (const m of template.matchAll(TOKEN)) {
    if (m.index > last) out.push({ kind: 'text', text: template.slice(last, m.index) });
    out.push({ kind: 'token', name: m[1] ?? '', width: m[2], raw: m[0] });
    last = m.index + m[0].length;
  }
  if (last < template.length) out.push({ kind: 'text', text: template.slice(last) });
  return out;
}

const isPart = (name: string): name is PartToken => (PART_TOKENS as readonly string[]).includes(name);
const isDate = (name: string): name is DateToken => (DATE_TOKENS as readonly string[]).includes(name);

export interface TemplateProblem {
  readonly code: string;
  readonly messageVi: string;
  readonly messageEn: string;
}

const problem = (code: string, messageVi: string, messageEn: string): TemplateProblem => ({ code, messageVi, messageEn });

/**
 * What is wrong with a template for a series whose allocating code supplies `parts` and which resets `reset`: every
 * problem at once. The series' parts must all appear (they tell the scopes' numbers apart), and a daily series must
 * show the day, or two days would hand out the same number.
 */
export function templateProblems(template: string, series: { parts: readonly string[]; reset: NumberingResetPeriod }): TemplateProblem[] {
  const problems: TemplateProblem[] = [];
  const tokens = segmentsOf(template).filter((s) => s.kind === 'token');
  const names = tokens.map((t) => t.name);
  const unknown = tokens.filter((t) => !isPart(t.name) && !isDate(t.name) && t.name !== 'seq').map((t) => t.raw);
  if (unknown.length > 0) problems.push(problem('unknown_token', `Mẫu có mã không được hỗ trợ: ${unknown.join(', ')}. Chỉ dùng: ${TEMPLATE_TOKENS_HELP}.`, `Unknown tokens: ${unknown.join(', ')}.`));
  if (tokens.some((t) => t.width !== undefined && t.name !== 'seq') || tokens.some((t) => t.name === 'seq' && t.width !== undefined && (Number(t.width) < 1 || Number(t.width) > 9))) {
    problems.push(problem('bad_width', 'Độ dài số thứ tự {seq:N} phải từ 1 đến 9 chữ số, và chỉ áp dụng cho {seq}.', 'The width N of {seq:N} must be 1 to 9 and only applies to {seq}.'));
  }
  if (template.replace(TOKEN, '').match(/[{}]/)) problems.push(problem('unbalanced', 'Mẫu có dấu ngoặc { } không khớp một mã nào.', 'The template has a stray brace.'));
  const seqCount = names.filter((n) => n === 'seq').length;
  if (seqCount === 0) problems.push(problem('missing_seq', 'Mẫu phải có số thứ tự {seq} hoặc {seq:N}.', 'The template must contain {seq} or {seq:N}.'));
  if (seqCount > 1) problems.push(problem('duplicate_seq', 'Mẫu chỉ được có một số thứ tự {seq}.', 'Only one {seq} token is allowed.'));
  const unsupplied = [...new Set(names.filter((n) => isPart(n) && !series.parts.includes(n)))];
  if (unsupplied.length > 0) problems.push(problem('part_not_supplied', `Dãy số này không có thành phần ${unsupplied.map((n) => `{${n}}`).join(', ')}.`, `This series does not supply ${unsupplied.join(', ')}.`));
  const missing = series.parts.filter((p) => !names.includes(p));
  if (missing.length > 0) problems.push(problem('missing_part', `Mẫu phải có ${missing.map((n) => `{${n}}`).join(', ')} để số của các đơn vị không trùng nhau.`, `The template must contain ${missing.join(', ')}.`));
  const showsDay = names.includes('yyMMdd') || names.includes('yyyyMMdd') || ((names.includes('yyyy') || names.includes('yy')) && names.includes('MM') && names.includes('dd'));
  if (series.reset === 'daily' && !showsDay) problems.push(problem('missing_day', 'Dãy số đánh lại hằng ngày phải có ngày trong mẫu ({yyMMdd}, {yyyyMMdd} hoặc {yyyy}{MM}{dd}).', 'A daily series must show the date.'));
  if (template.length > 200) problems.push(problem('too_long', 'Mẫu dài quá 200 ký tự.', 'The template is longer than 200 characters.'));
  return problems;
}

export interface NumberParts {
  /** The allocation date in Asia/Ho_Chi_Minh, YYYY-MM-DD. */
  readonly date: string;
  readonly seq: number;
  readonly parts?: Readonly<Partial<Record<PartToken, string>>>;
}

function dateToken(name: DateToken, date: string): string {
  const [y = '', m = '', d = ''] = date.split('-');
  const values: Record<DateToken, string> = { yyyy: y, yy: y.slice(2), MM: m, dd: d, yyMMdd: `${y.slice(2)}${m}${d}`, yyyyMMdd: `${y}${m}${d}` };
  return values[name];
}

/** Renders a number; a part the template names but the caller did not supply is a programming error. */
export function renderNumber(template: string, value: NumberParts): string {
  return segmentsOf(template)
    .map((s) => {
      if (s.kind === 'text') return s.text;
      if (s.name === 'seq') return String(value.seq).padStart(Number(s.width ?? 1), '0');
      if (isDate(s.name)) return dateToken(s.name, value.date);
      const part = isPart(s.name) ? value.parts?.[s.name] : undefined;
      if (part === undefined) throw new Error(`number template ${template}: no value for ${s.raw}`);
      return part;
    })
    .join('');
}

const PATTERNS: Record<string, string> = {
  agency: '([0-9A-Z.]+?)',
  unit: '([^/\\s]+?)',
  type: '([^/\\s-]+?)',
  yyyy: '(\\d{4})',
  yy: '(\\d{2})',
  MM: '(\\d{2})',
  dd: '(\\d{2})',
  yyMMdd: '(\\d{6})',
  yyyyMMdd: '(\\d{8})',
};

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export interface ParsedNumber {
  readonly seq: number;
  readonly parts: Readonly<Partial<Record<PartToken, string>>>;
  /** YYYY-MM-DD when the template shows the whole date, else null. */
  readonly date: string | null;
  /** The year when the template shows it, else null. */
  readonly year: string | null;
}

/** Reads a number back into its parts with the template it was made with; null when it does not fit. */
export function parseNumber(template: string, text: string): ParsedNumber | null {
  const names: string[] = [];
  let pattern = '';
  for (const s of segmentsOf(template)) {
    if (s.kind === 'text') {
      pattern += escapeRe(s.text);
      continue;
    }
    names.push(s.name);
    pattern += s.name === 'seq' ? `(\\d{${Number(s.width ?? 1)},})` : (PATTERNS[s.name] ?? escapeRe(s.raw));
  }
  const match = new RegExp(`^${pattern}$`).exec(text);
  if (!match) return null;
  const value = (name: string): string | undefined => {
    const i = names.indexOf(name);
    return i < 0 ? undefined : match[i + 1];
  };
  const ymd = value('yyyyMMdd') ?? (value('yyMMdd') !== undefined ? `20${value('yyMMdd')}` : undefined);
  const year = ymd?.slice(0, 4) ?? value('yyyy') ?? (value('yy') !== undefined ? `20${value('yy')}` : undefined);
  const month = ymd?.slice(4, 6) ?? value('MM');
  const day = ymd?.slice(6, 8) ?? value('dd');
  const parts: Partial<Record<PartToken, string>> = {};
  for (const p of PART_TOKENS) {
    const v = value(p);
    if (v !== undefined) parts[p] = v;
  }
  return { seq: Number(value('seq')), parts, date: year && month && day ? `${year}-${month}-${day}` : null, year: year ?? null };
}
