// Province-of-birth codes of the 12-digit personal identification number: the GSO codes of the 63 provinces that
// existed before 07/2025 (data/admin-units/provinces_63.csv), written on 3 digits. Numbers already issued keep them.
export const BIRTH_PROVINCE_CODES: ReadonlySet<string> = new Set(
  '01 02 04 06 08 10 11 12 14 15 17 19 20 22 24 25 26 27 30 31 33 34 35 36 37 38 40 42 44 45 46 48 49 51 52 54 56 58 60 62 64 66 67 68 70 72 74 75 77 79 80 82 83 84 86 87 89 91 92 93 94 95 96'
    .split(' ')
    .map((c) => `0${c}`),
);

export type PersonalIdError = 'format' | 'province' | 'birth_year_future';

export type PersonalIdCheck =
  | { readonly ok: true; readonly provinceCode: string; readonly sex: 'male' | 'female'; readonly birthYear: number }
  | { readonly ok: false; readonly reason: PersonalIdError };

/** Digit 4 gives the century of birth and the sex: 0/1 → 1900s, 2/3 → 2000s, 4/5 → 2100s, 6/7 → 2200s, 8/9 → 1800s. */
const CENTURY_START = [1900, 1900, 2000, 2000, 2100, 2100, 2200, 2200, 1800, 1800];

export function validatePersonalId(value: string, now: Date = new Date()): PersonalIdCheck {
  if (!/^\d{12}$/.test(value)) return { ok: false, reason: 'format' };
  const provinceCode = value.slice(0, 3);
  if (!BIRTH_PROVINCE_CODES.has(provinceCode)) return { ok: false, reason: 'province' };
  const genderDigit = Number(value[3]);
  const birthYear = (CENTURY_START[genderDigit] ?? 1900) + Number(value.slice(4, 6));
  if (birthYear > now.getUTCFullYear()) return { ok: false, reason: 'birth_year_future' };
  return { ok: true, provinceCode, sex: genderDigit % 2 === 0 ? 'male' : 'female', birthYear };
}

export const personalIdMessages: Record<PersonalIdError, [string, string]> = {
  format: ['Số định danh cá nhân gồm đúng 12 chữ số.', 'A personal identification number has exactly 12 digits.'],
  province: ['3 chữ số đầu không phải mã tỉnh nơi đăng ký khai sinh.', 'The first 3 digits are not a province-of-birth code.'],
  birth_year_future: ['Năm sinh (chữ số thứ 4 đến 6) nằm trong tương lai.', 'The birth year (digits 4–6) is in the future.'],
};
