import type { Actor } from '../../platform/audit/audit-log.ts';
import type { Db, DbOrTx } from '../../platform/db/database.ts';
import type { FormFieldKind } from '../../platform/db/schema.ts';
import { type FieldError, FieldErrors, fieldError } from '../../platform/errors.ts';
import { reviseSetup, type VersionRef } from './setup-revision.ts';

/** One field of a procedure version's application form. */
export interface FormField {
  readonly key: string;
  readonly label: string;
  readonly kind: FormFieldKind;
  readonly required: boolean;
  /** The choices of a `select` field. */
  readonly options: readonly string[];
}

const MAX_TEXT = { text: 300, textarea: 2000, date: 10, number: 20, select: 200 } as const;

export async function formFieldsOf(db: DbOrTx, versionId: string): Promise<FormField[]> {
  const rows = await db.selectFrom('form_fields').selectAll().where('procedure_version_id', '=', versionId).orderBy('seq').execute();
  return rows.map((r) => ({ key: r.key, label: r.label, kind: r.kind, required: r.required, options: r.options }));
}

const validDate = (v: string) => /^\d{4}-\d{2}-\d{2}$/.test(v) && !Number.isNaN(Date.parse(`${v}T00:00:00Z`)) && new Date(`${v}T00:00:00Z`).toISOString().startsWith(v);

/**
 * Checks the answers to a form against its fields, every problem at once under `fields.<key>`: required answers,
 * lengths, dates (YYYY-MM-DD), numbers, choices, and answers to fields the form does not have.
 */
export function checkFormAnswers(fields: readonly FormField[], answers: Readonly<Record<string, string>>, enforceRequired: boolean): FieldError[] {
  const errors: FieldError[] = [];
  const at = (f: FormField | string) => `fields.${typeof f === 'string' ? f : f.key}`;
  for (const key of Object.keys(answers)) if (!fields.some((f) => f.key === key)) errors.push(fieldError(at(key), 'unknown_field', 'Biểu mẫu không có trường này.', 'No such field on this form.'));
  for (const f of fields) {
    const v = (answers[f.key] ?? '').trim();
    if (v === '') {
      if (f.required && enforceRequired) errors.push(fieldError(at(f), 'required', `Vui lòng nhập: ${f.label}.`, 'Required.'));
      continue;
    }
    if (v.length > MAX_TEXT[f.kind]) errors.push(fieldError(at(f), 'too_long', `Tối đa ${MAX_TEXT[f.kind]} ký tự.`, 'Too long.'));
    else if (f.kind === 'date' && !validDate(v)) errors.push(fieldError(at(f), 'date', 'Ngày không hợp lệ; nhập theo dạng ngày/tháng/năm, ví dụ 01/12/2026.', 'Not a valid date (YYYY-MM-DD).'));
    else if (f.kind === 'number' && !/^-?\d+([.,]\d+)?$/.test(v)) errors.push(fieldError(at(f), 'number', 'Nhập một số.', 'Not a number.'));
    else if (f.kind === 'select' && !f.options.includes(v)) errors.push(fieldError(at(f), 'choice', 'Chọn một giá trị trong danh sách.', 'Not one of the choices.'));
  }
  return errors;
}

/**
 * Sets a procedure's form (administrator): keys unique and well formed, choices for select fields. The procedure's
 * version in force is superseded by a new version with this form (see `reviseSetup`).
 */
export async function setFormFields(db: Db, actor: Actor, versionId: string, fields: readonly FormField[], expectedVersionNo?: number): Promise<VersionRef> {
  const errors = new FieldErrors();
  fields.forEach((f, i) => {
    if (!/^[a-z][a-z0-9_]{0,39}$/.test(f.key)) errors.add(`fields.${i}.key`, 'pattern', 'Mã trường gồm chữ thường không dấu, số và dấu gạch dưới, bắt đầu bằng chữ.', 'Lowercase letters, digits and _.');
    else if (fields.findIndex((x) => x.key === f.key) !== i) errors.add(`fields.${i}.key`, 'duplicate', 'Mã trường bị trùng.', 'Duplicate key.');
    if (f.label.trim() === '') errors.add(`fields.${i}.label`, 'required', 'Nhập nhãn của trường.', 'Label required.');
    if (f.kind === 'select' && f.options.filter((o) => o.trim() !== '').length < 2) errors.add(`fields.${i}.options`, 'required', 'Trường chọn cần ít nhất hai lựa chọn.', 'At least two choices.');
  });
  errors.throwIfAny();
  const after = fields.map((f) => ({ key: f.key, label: f.label.trim(), kind: f.kind, required: f.required, options: f.kind === 'select' ? f.options.map((o) => o.trim()).filter(Boolean) : [] }));
  return reviseSetup(
    db,
    actor,
    versionId,
    {
      action: 'procedure.form_fields_set',
      read: async (tx, id) => {
        const current = await formFieldsOf(tx, id);
        return current.length > 0 ? current : null;
      },
      write: async (tx, id) => {
        await tx.deleteFrom('form_fields').where('procedure_version_id', '=', id).execute();
        if (after.length > 0) await tx.insertInto('form_fields').values(after.map((f, i) => ({ procedure_version_id: id, seq: i + 1, ...f }))).execute();
      },
      after: after.length > 0 ? after : null,
    },
    expectedVersionNo,
  );
}
