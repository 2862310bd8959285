import type { DbOrTx } from '../../platform/db/database.ts';
import { type FieldError, fieldError } from '../../platform/errors.ts';
import { isCalendarDate } from '../../platform/http/common-schemas.ts';
import { addressText, communesByCode, type Place, personalIdMessages, validatePersonalId } from '../directory/index.ts';
import { type FormField, maxLengthOf, NUMBER_PATTERN, PHONE_PATTERN } from './eform.ts';

/** An address as a submission gives it: a commune in force by its GSO code, and the street part. */
export interface AddressAnswer {
  readonly commune: string;
  readonly street: string;
}
/** An address as an answer keeps it: with the whole line as it read on the day it was given. */
export interface KeptAddress extends AddressAnswer {
  readonly text: string;
}
/** An answer as a submission gives it (text, a checked box, an address)… */
export type AnswerInput = string | boolean | AddressAnswer;
/** …and as it is kept: dates YYYY-MM-DD, a box only when checked, an address with its text. */
export type Answer = string | boolean | KeptAddress;

const isAddress = (v: unknown): v is AddressAnswer => typeof v === 'object' && v !== null && typeof (v as AddressAnswer).commune === 'string' && typeof (v as AddressAnswer).street === 'string';

/** The answer shown as one line: checked boxes as "Có", addresses as their text, the rest as kept. */
export function answerText(answer: Answer): string {
  if (typeof answer === 'boolean') return answer ? 'Có' : 'Không';
  return typeof answer === 'string' ? answer : answer.text;
}

/** Whether two answers say the same (an address by its commune and street; its text follows from them). */
export function sameAnswer(a: Answer | AnswerInput | undefined, b: Answer | AnswerInput | undefined): boolean {
  if (a === undefined || b === undefined) return false;
  if (isAddress(a) || isAddress(b)) return isAddress(a) && isAddress(b) && a.commune === b.commune && a.street.trim() === b.street.trim();
  return typeof a === 'string' && typeof b === 'string' ? a.trim() === b.trim() : a === b;
}

/**
 * Checks answers against a form, every problem at once under `fields.<key>` (an address's parts under
 * `fields.<key>.commune` / `.street`): answers to fields the form lacks, required answers, kinds, lengths, dates
 * (YYYY-MM-DD), numbers, choices, personal identification numbers, phone numbers and communes in force. Returns the
 * answers as they are kept. `places` holds the communes the answers name.
 */
export function checkFormAnswers(
  fields: readonly FormField[],
  input: Readonly<Record<string, AnswerInput>>,
  enforceRequired: boolean,
  places: ReadonlyMap<string, Place>,
): { answers: Record<string, Answer>; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const answers: Record<string, Answer> = {};
  const at = (key: string, part?: string) => `fields.${key}${part ? `.${part}` : ''}`;
  const wrongType = (f: FormField) => errors.push(fieldError(at(f.key), 'type', 'Câu trả lời không đúng kiểu của trường này.', `Wrong type of answer for a ${f.kind} field.`));
  for (const key of Object.keys(input)) if (!fields.some((f) => f.key === key)) errors.push(fieldError(at(key), 'unknown_field', 'Biểu mẫu không có trường này.', 'No such field on this form.'));
  for (const f of fields) {
    const raw = input[f.key];
    let answered = false;
    if (raw === undefined) answered = false;
    else if (f.kind === 'checkbox') {
      if (typeof raw !== 'boolean') wrongType(f);
      else if (raw) answers[f.key] = true;
      answered = raw === true || typeof raw !== 'boolean';
    } else if (f.kind === 'address') {
      if (!isAddress(raw)) {
        wrongType(f);
        answered = true;
      } else {
        const commune = raw.commune.trim();
        const street = raw.street.trim();
        answered = commune !== '' || street !== '';
        const place = places.get(commune);
        if (answered) {
          if (commune === '') errors.push(fieldError(at(f.key, 'commune'), 'required', 'Chọn phường, xã.', 'Commune required.'));
          else if (!place) errors.push(fieldError(at(f.key, 'commune'), 'unknown', 'Không có phường, xã đang hiệu lực mang mã này.', 'No commune in force with this code.'));
          if (street === '') errors.push(fieldError(at(f.key, 'street'), 'required', 'Nhập số nhà, đường, thôn hoặc tổ dân phố.', 'Street required.'));
          else if (street.length > maxLengthOf('address')) errors.push(fieldError(at(f.key, 'street'), 'too_long', `Tối đa ${maxLengthOf('address')} ký tự.`, 'Too long.'));
          else if (place) answers[f.key] = { commune, street, text: addressText(street, place) };
        }
      }
    } else if (typeof raw !== 'string') {
      wrongType(f);
      answered = true;
    } else {
      const v = raw.trim();
      answered = v !== '';
      const problem = answered ? textProblem(f, v) : null;
      if (problem) errors.push(fieldError(at(f.key), ...problem));
      else if (answered) answers[f.key] = v;
    }
    if (!answered && f.required && enforceRequired) errors.push(fieldError(at(f.key), 'required', f.kind === 'checkbox' ? `Vui lòng đánh dấu: ${f.label}.` : `Vui lòng nhập: ${f.label}.`, 'Required.'));
  }
  return { answers, errors };
}

/** What is wrong with a text answer of this field's kind, as [code, Vietnamese, English]; null when nothing. */
function textProblem(f: FormField, v: string): [string, string, string] | null {
  const max = maxLengthOf(f.kind);
  if (v.length > max && f.kind !== 'personal_id' && f.kind !== 'phone') return ['too_long', `Tối đa ${max} ký tự.`, 'Too long.'];
  switch (f.kind) {
    case 'date':
      return isCalendarDate(v) ? null : ['date', 'Ngày không hợp lệ; nhập theo dạng ngày/tháng/năm, ví dụ 01/12/2026.', 'Not a valid date (YYYY-MM-DD).'];
    case 'number':
      return new RegExp(NUMBER_PATTERN).test(v) ? null : ['number', 'Nhập một số.', 'Not a number.'];
    case 'select':
      return f.options.includes(v) ? null : ['choice', 'Chọn một giá trị trong danh sách.', 'Not one of the choices.'];
    case 'phone':
      return new RegExp(PHONE_PATTERN).test(v) ? null : ['phone', 'Số điện thoại gồm 10 hoặc 11 chữ số, bắt đầu bằng 0.', 'A phone number has 10 or 11 digits starting with 0.'];
    case 'personal_id': {
      const check = validatePersonalId(v);
      return check.ok ? null : [`personal_id_${check.reason}`, ...personalIdMessages[check.reason]];
    }
    default:
      return null;
  }
}

/** `checkFormAnswers`, with the communes the answers name looked up in the directory. */
export async function checkAnswers(db: DbOrTx, fields: readonly FormField[], input: Readonly<Record<string, AnswerInput>>, enforceRequired: boolean) {
  const codes = Object.values(input).flatMap((v) => (isAddress(v) && v.commune.trim() !== '' ? [v.commune.trim()] : []));
  return checkFormAnswers(fields, input, enforceRequired, await communesByCode(db, codes));
}
