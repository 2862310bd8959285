import type { FormFieldKind, PrefillFact } from '../../platform/db/schema.ts';
import { type FieldError, fieldError } from '../../platform/errors.ts';

/** One question of a procedure version's e-form (tờ khai), as the administrator defines it. */
export interface FormField {
  readonly key: string;
  readonly label: string;
  readonly kind: FormFieldKind;
  readonly required: boolean;
  /** The choices of a `select` field. */
  readonly options: readonly string[];
  /** Shown under the label: how to answer. */
  readonly help: string | null;
  /** The section of the form the field belongs to; consecutive fields of one section are shown together. */
  readonly group: string | null;
  /** The fact about the applicant the field is filled in from (their account, or an earlier dossier). */
  readonly prefill: PrefillFact | null;
  /** Where the question comes from (the official form and its item), for administrators and auditors. */
  readonly source: string | null;
}

/** A field as an administrator or a seed gives it: help, section, fact and source may be left out. */
export type FormFieldInput = Omit<FormField, 'help' | 'group' | 'prefill' | 'source'> & { readonly help?: string | null; readonly group?: string | null; readonly prefill?: PrefillFact | null; readonly source?: string | null };

export const FORM_FIELD_KINDS: readonly FormFieldKind[] = ['text', 'textarea', 'date', 'number', 'select', 'checkbox', 'personal_id', 'phone', 'address'];
export const PREFILL_FACTS: readonly PrefillFact[] = ['full_name', 'date_of_birth', 'sex', 'ethnicity', 'personal_id', 'phone', 'email', 'address'];

export const formFieldKindLabelsVi: Record<FormFieldKind, string> = {
  text: 'Chữ (một dòng)',
  textarea: 'Đoạn văn',
  date: 'Ngày (ngày/tháng/năm)',
  number: 'Số',
  select: 'Chọn trong danh sách',
  checkbox: 'Ô đánh dấu (có/không)',
  personal_id: 'Số định danh cá nhân',
  phone: 'Số điện thoại',
  address: 'Địa chỉ (tỉnh, phường/xã, số nhà)',
};

export const prefillFactLabelsVi: Record<PrefillFact, string> = {
  full_name: 'Họ, chữ đệm và tên',
  date_of_birth: 'Ngày sinh',
  sex: 'Giới tính',
  ethnicity: 'Dân tộc',
  personal_id: 'Số định danh cá nhân',
  phone: 'Số điện thoại',
  email: 'Thư điện tử',
  address: 'Nơi cư trú',
};

/** The field kinds a fact can fill in (a sex fills a choice of Nam/Nữ; an address only an address field). */
const factKinds: Record<PrefillFact, readonly FormFieldKind[]> = {
  full_name: ['text'],
  date_of_birth: ['date'],
  sex: ['select'],
  ethnicity: ['text', 'select'],
  personal_id: ['personal_id'],
  phone: ['phone'],
  email: ['text'],
  address: ['address'],
};
export const SEX_OPTIONS = ['Nam', 'Nữ'] as const;
export const MAX_OPTIONS = 100;

/**
 * Every problem of a form's definition, under `fields.<index>.<property>`: keys unique and well formed, a label,
 * choices for a select field (and only there), a fact the field's kind can hold.
 */
export function formDefinitionProblems(fields: readonly FormFieldInput[]): FieldError[] {
  const errors: FieldError[] = [];
  const add = (i: number, prop: string, code: string, vi: string, en: string) => errors.push(fieldError(`fields.${i}.${prop}`, code, vi, en));
  fields.forEach((f, i) => {
    if (!/^[a-z][a-z0-9_]{0,39}$/.test(f.key)) add(i, 'key', 'pattern', 'Mã trường gồm chữ thường không dấu, số và dấu gạch dưới, bắt đầu bằng chữ.', 'Lowercase letters, digits and _.');
    else if (fields.findIndex((x) => x.key === f.key) !== i) add(i, 'key', 'duplicate', 'Mã trường bị trùng.', 'Duplicate key.');
    if (f.label.trim() === '') add(i, 'label', 'required', 'Nhập nhãn của trường.', 'Label required.');
    const options = f.options.map((o) => o.trim()).filter(Boolean);
    if (f.kind === 'select' && options.length < 2) add(i, 'options', 'required', 'Trường chọn cần ít nhất hai lựa chọn.', 'At least two choices.');
    else if (f.kind === 'select' && new Set(options).size !== options.length) add(i, 'options', 'duplicate', 'Các lựa chọn bị trùng.', 'Duplicate choices.');
    else if (options.length > MAX_OPTIONS) add(i, 'options', 'too_many', `Tối đa ${MAX_OPTIONS} lựa chọn.`, 'Too many choices.');
    else if (f.kind !== 'select' && options.length > 0) add(i, 'options', 'not_allowed', 'Chỉ trường chọn trong danh sách mới có các lựa chọn.', 'Only a select field has choices.');
    if (f.prefill && !factKinds[f.prefill].includes(f.kind)) {
      add(i, 'prefill', 'kind', `"${prefillFactLabelsVi[f.prefill]}" chỉ điền được vào trường kiểu ${factKinds[f.prefill].map((k) => formFieldKindLabelsVi[k]).join(' hoặc ')}.`, 'This fact cannot fill a field of this kind.');
    } else if (f.prefill === 'sex' && !SEX_OPTIONS.every((o) => options.includes(o))) {
      add(i, 'prefill', 'options', 'Trường giới tính cần có các lựa chọn "Nam" và "Nữ".', 'A sex field needs the choices Nam and Nữ.');
    }
  });
  return errors;
}

/** A definition as it is kept: text trimmed, empty help and section as none, choices only for a select field. */
export function normaliseDefinition(fields: readonly FormFieldInput[]): FormField[] {
  const opt = (v: string | null | undefined) => (v && v.trim() !== '' ? v.trim() : null);
  return fields.map((f) => ({
    key: f.key,
    label: f.label.trim(),
    kind: f.kind,
    required: f.required,
    options: f.kind === 'select' ? f.options.map((o) => o.trim()).filter(Boolean) : [],
    help: opt(f.help),
    group: opt(f.group),
    prefill: f.prefill ?? null,
    source: opt(f.source),
  }));
}

const MAX_TEXT: Record<FormFieldKind, number> = { text: 300, textarea: 2000, date: 10, number: 20, select: 200, checkbox: 0, personal_id: 12, phone: 11, address: 200 };
export const maxLengthOf = (kind: FormFieldKind) => MAX_TEXT[kind];
export const PHONE_PATTERN = '^0[0-9]{9,10}$';
export const NUMBER_PATTERN = '^-?[0-9]+([.,][0-9]+)?$';

/** The JSON Schema of one field's answer (the `fields.<key>` of a submission). */
function answerSchemaOf(f: FormField): Record<string, unknown> {
  const base = { title: f.label, ...(f.help ? { description: f.help } : {}) };
  switch (f.kind) {
    case 'checkbox':
      return { ...base, type: 'boolean' };
    case 'date':
      return { ...base, type: 'string', format: 'date' };
    case 'number':
      return { ...base, type: 'string', pattern: NUMBER_PATTERN, maxLength: MAX_TEXT.number };
    case 'select':
      return { ...base, type: 'string', enum: [...f.options] };
    case 'personal_id':
      return { ...base, type: 'string', pattern: '^[0-9]{12}$' };
    case 'phone':
      return { ...base, type: 'string', pattern: PHONE_PATTERN };
    case 'address':
      return {
        ...base,
        type: 'object',
        additionalProperties: false,
        required: ['commune', 'street'],
        properties: {
          commune: { type: 'string', pattern: '^[0-9]{5}$', description: 'GSO code of a commune in force (GET /api/v1/admin-units)' },
          street: { type: 'string', minLength: 1, maxLength: MAX_TEXT.address },
        },
      };
    default:
      return { ...base, type: 'string', minLength: 1, maxLength: MAX_TEXT[f.kind] };
  }
}

/**
 * The JSON Schema (2020-12) that the `fields` object of a submission for this form meets, generated from the same
 * definition the server checks answers with, so an API client can validate before sending.
 */
export function answersSchemaOf(fields: readonly FormField[]): Record<string, unknown> {
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    type: 'object',
    additionalProperties: false,
    required: fields.filter((f) => f.required).map((f) => f.key),
    properties: Object.fromEntries(fields.map((f) => [f.key, answerSchemaOf(f)])),
  };
}
