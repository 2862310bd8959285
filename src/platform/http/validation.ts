import type { TSchema } from 'typebox';
import { Compile, type Validator } from 'typebox/compile';
import { Format } from 'typebox/format';
import { Value } from 'typebox/value';
import { AppError, type FieldError, fieldError } from '../errors.ts';
import { isCalendarDate } from './common-schemas.ts';

// Every `format: 'date'` of every schema means a real day from 1900 on: the stock check lets year 0000 through, which
// the database then refuses with a 500. Validators are compiled lazily, after this module has loaded.
Format.Set('date', isCalendarDate);

interface SchemaIssue {
  readonly keyword: string;
  readonly instancePath: string;
  readonly params: Record<string, unknown>;
}

const compiled = new WeakMap<TSchema, Validator>();

function validatorFor(schema: TSchema): Validator {
  let v = compiled.get(schema);
  if (!v) {
    v = Compile(schema);
    compiled.set(schema, v);
  }
  return v;
}

const typeNamesVi: Record<string, string> = {
  string: 'chuỗi ký tự',
  integer: 'số nguyên',
  number: 'số',
  boolean: 'đúng/sai',
  object: 'đối tượng',
  array: 'danh sách',
};

function messageFor(issue: SchemaIssue): [string, string] {
  const p = issue.params;
  switch (issue.keyword) {
    case 'minLength':
      return Number(p.limit) <= 1
        ? ['Trường này là bắt buộc.', 'This field is required.']
        : [`Cần ít nhất ${p.limit} ký tự.`, `Must have at least ${p.limit} characters.`];
    case 'maxLength':
      return [`Không được vượt quá ${p.limit} ký tự.`, `Must have at most ${p.limit} characters.`];
    case 'minimum':
      return [`Giá trị nhỏ nhất là ${p.limit}.`, `Must be at least ${p.limit}.`];
    case 'maximum':
      return [`Giá trị lớn nhất là ${p.limit}.`, `Must be at most ${p.limit}.`];
    case 'type':
      return [`Phải là ${typeNamesVi[String(p.type)] ?? String(p.type)}.`, `Must be ${String(p.type)}.`];
    case 'format':
      if (p.format === 'email') return ['Địa chỉ thư điện tử không hợp lệ.', 'Invalid e-mail address.'];
      if (p.format === 'date') return ['Ngày không hợp lệ; nhập theo dạng ngày/tháng/năm, ví dụ 01/12/2026.', 'Invalid date (YYYY-MM-DD).'];
      return [`Không đúng định dạng ${String(p.format)}.`, `Invalid ${String(p.format)} format.`];
    case 'pattern':
      return ['Không đúng định dạng.', 'Invalid format.'];
    case 'const':
    case 'enum':
    case 'anyOf':
      return ['Giá trị không nằm trong danh sách cho phép.', 'Value is not one of the allowed values.'];
    case 'maxItems':
      return [`Tối đa ${p.limit} mục.`, `At most ${p.limit} items.`];
    case 'minItems':
      return [`Cần ít nhất ${p.limit} mục.`, `At least ${p.limit} items.`];
    default:
      return ['Giá trị không hợp lệ.', 'Invalid value.'];
  }
}

function pathToField(instancePath: string): string {
  return instancePath.replace(/^\//, '').replaceAll('/', '.');
}

interface ObjectSchema {
  readonly type: 'object';
  readonly properties: Record<string, TSchema>;
  readonly required?: readonly string[];
  readonly additionalProperties?: boolean;
}

const isObjectSchema = (schema: TSchema): schema is TSchema & ObjectSchema =>
  (schema as { type?: unknown }).type === 'object' && typeof (schema as { properties?: unknown }).properties === 'object';

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Every problem of `value` against `schema`, as field errors with Vietnamese and English messages. Objects are
 * checked property by property, because the validator's error list can stop early after a failed union.
 */
export function schemaFieldErrors(schema: TSchema, value: unknown, prefix = ''): FieldError[] {
  if (isObjectSchema(schema) && isPlainObject(value)) return objectFieldErrors(schema, value, prefix);
  return leafFieldErrors(schema, value, prefix);
}

function objectFieldErrors(schema: ObjectSchema, value: Record<string, unknown>, prefix: string): FieldError[] {
  const join = (f: string) => (prefix === '' ? f : `${prefix}.${f}`);
  const out: FieldError[] = [];
  for (const key of Object.keys(value)) {
    if (schema.additionalProperties === false && !(key in schema.properties)) {
      out.push(fieldError(join(key), 'unknown_field', 'Trường này không được chấp nhận.', 'Unknown field.'));
    }
  }
  for (const [key, propSchema] of Object.entries(schema.properties)) {
    if (value[key] === undefined) {
      if (schema.required?.includes(key)) out.push(fieldError(join(key), 'required', 'Trường này là bắt buộc.', 'This field is required.'));
      continue;
    }
    out.push(...schemaFieldErrors(propSchema, value[key], join(key)));
  }
  return out;
}

/**
 * A field whose rule the generic messages cannot explain (a code pattern, say) names its own: `messageVi` and
 * `messageEn` on its schema, e.g. Type.String({ pattern, messageVi: 'Mã thủ tục có dạng 1.234567.', messageEn: … }).
 */
function ownMessage(schema: TSchema): [string, string] | null {
  const { messageVi, messageEn } = schema as { messageVi?: unknown; messageEn?: unknown };
  return typeof messageVi === 'string' ? [messageVi, typeof messageEn === 'string' ? messageEn : messageVi] : null;
}

function leafFieldErrors(schema: TSchema, value: unknown, prefix: string): FieldError[] {
  const validator = validatorFor(schema);
  if (validator.Check(value)) return [];
  const out: FieldError[] = [];
  const seen = new Set<string>();
  for (const issue of validator.Errors(value) as SchemaIssue[]) {
    if (issue.keyword === 'boolean') continue; // duplicated by the additionalProperties issue
    const base = pathToField(issue.instancePath);
    const join = (f: string) => [prefix, base, f].filter((s) => s !== '').join('.');
    const fields =
      issue.keyword === 'required'
        ? ((issue.params.requiredProperties as string[] | undefined) ?? []).map(join)
        : issue.keyword === 'additionalProperties'
          ? ((issue.params.additionalProperties as string[] | undefined) ?? []).map(join)
          : [join('')];
    for (const field of fields) {
      if (seen.has(field)) continue; // one message per field: the first is the most specific
      seen.add(field);
      if (issue.keyword === 'required') {
        out.push(fieldError(field, 'required', 'Trường này là bắt buộc.', 'This field is required.'));
      } else if (issue.keyword === 'additionalProperties') {
        out.push(fieldError(field, 'unknown_field', 'Trường này không được chấp nhận.', 'Unknown field.'));
      } else {
        const [vi, en] = ownMessage(schema) ?? messageFor(issue);
        out.push(fieldError(field, issue.keyword, vi, en));
      }
    }
  }
  return out;
}

/** Checks a value and returns it typed, or throws one AppError listing every field error. */
export function parseWith<T>(schema: TSchema, value: unknown, options: { convert?: boolean } = {}): T {
  const input = options.convert ? Value.Convert(schema, value) : value;
  const errors = schemaFieldErrors(schema, input);
  if (errors.length > 0) throw AppError.validation(errors);
  return input as T;
}
