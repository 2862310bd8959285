import { parseDateInput } from '../../platform/time.ts';
import { type AnswerInput, type FormField, sameAnswer } from '../procedures/index.ts';
import type { Prefilled, PrefillSet } from './prefill.ts';

/**
 * How an e-form travels in an HTML form: `fields.<key>` for a text, choice, date or box (`1` when ticked), and
 * `fields.<key>.province` / `.commune` / `.street` for an address (the province only picks the commune list).
 */
export function answerFieldNames(fields: readonly FormField[]): string[] {
  return fields.flatMap((f) => (f.kind === 'address' ? ['province', 'commune', 'street'].map((p) => `fields.${f.key}.${p}`) : [`fields.${f.key}`]));
}

/** The date fields among them, typed dd/MM/yyyy on pages. */
export const answerDateNames = (fields: readonly FormField[]) => fields.filter((f) => f.kind === 'date').map((f) => `fields.${f.key}`);

/** The answers of a posted form, for the fields the form has; dates as YYYY-MM-DD where they parse. */
export function answersOf(fields: readonly FormField[], form: Readonly<Record<string, string>>): Record<string, AnswerInput> {
  return Object.fromEntries(
    fields.flatMap((f): [string, AnswerInput][] => {
      const name = `fields.${f.key}`;
      if (f.kind === 'address') {
        const commune = form[`${name}.commune`] ?? '';
        const street = form[`${name}.street`] ?? '';
        return commune || street ? [[f.key, { commune, street }]] : [];
      }
      const typed = form[name];
      if (!typed) return [];
      if (f.kind === 'checkbox') return [[f.key, typed === '1']];
      return [[f.key, f.kind === 'date' ? (parseDateInput(typed) ?? typed) : typed]];
    }),
  );
}

/** A value offered before anything is typed, as the form's fields. */
function formValues(f: FormField, value: AnswerInput): [string, string][] {
  const name = `fields.${f.key}`;
  if (typeof value === 'object') return [[`${name}.commune`, value.commune], [`${name}.street`, value.street]];
  if (typeof value === 'boolean') return value ? [[name, '1']] : [];
  return [[name, value]];
}

/** The form a citizen starts with: what the account and their earlier dossiers already say. */
export function prefilledForm(fields: readonly FormField[], prefill: PrefillSet): Record<string, string> {
  const answers = fields.flatMap((f) => (prefill.answers[f.key] ? formValues(f, prefill.answers[f.key]?.value ?? '') : []));
  const contact = Object.entries(prefill.contact).map(([k, p]) => [k, String(p.value)] as [string, string]);
  return Object.fromEntries([...answers, ...contact]);
}

/** What a page says next to a value filled in automatically, while it is the value offered. */
export function autofillMark(value: AnswerInput | undefined, offered: Prefilled | undefined): string | undefined {
  if (!offered || !sameAnswer(value, offered.value)) return undefined;
  return offered.origin === 'account' ? 'Tự động điền từ tài khoản' : `Tự động điền từ hồ sơ trước${offered.sourceCode ? ` (${offered.sourceCode})` : ''}`;
}

/** The marks of every field and contact value that still holds what was offered. */
export function autofillMarks(fields: readonly FormField[], form: Readonly<Record<string, string>>, prefill: PrefillSet): Record<string, string> {
  const answers = answersOf(fields, form);
  const marks = [
    ...fields.map((f) => [`fields.${f.key}`, autofillMark(answers[f.key], prefill.answers[f.key])] as const),
    ...Object.entries(prefill.contact).map(([k, p]) => [k, autofillMark(form[k], p)] as const),
  ];
  return Object.fromEntries(marks.filter((m): m is readonly [string, string] => m[1] !== undefined));
}
