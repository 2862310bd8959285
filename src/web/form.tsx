import type { ComponentChildren } from 'preact';
import type { FieldError } from '../platform/errors.ts';
import { isIsoDateText } from '../platform/time.ts';
import { formatIsoDate } from './format.ts';

export type FormErrors = Readonly<Record<string, string>>;

/** Field errors keyed by field name, Vietnamese message first — what a form re-render needs. */
export function errorsByField(errors: readonly FieldError[]): FormErrors {
  const out: Record<string, string> = {};
  // Several problems with one field (two wrong files, say) are all shown, in order.
  for (const e of errors) out[e.field] = out[e.field] && !out[e.field]?.includes(e.messageVi) ? `${out[e.field]} ${e.messageVi}` : e.messageVi;
  return out;
}

const fieldId = (name: string) => `f-${name.replaceAll('.', '-')}`;

/** Every error at once, each linked to its field; errors of `unlinked` fields (not inputs on this page) are plain text. */
export function ErrorSummary({ errors, labels, unlinked = [] }: { errors: FormErrors; labels: Readonly<Record<string, string>>; unlinked?: readonly string[] }) {
  const entries = Object.entries(errors);
  if (entries.length === 0) return null;
  return (
    <div class="error-summary" role="alert" tabIndex={-1}>
      <h2>Vui lòng sửa {entries.length} lỗi sau</h2>
      <ul>
        {entries.map(([field, message]) => {
          const text = `${labels[field] ? `${labels[field]}: ` : ''}${message}`;
          return <li key={field}>{unlinked.includes(field) ? text : <a href={`#${fieldId(field)}`}>{text}</a>}</li>;
        })}
      </ul>
    </div>
  );
}

interface FieldProps {
  readonly name: string;
  readonly label: string;
  readonly value?: string | undefined;
  readonly error?: string | undefined;
  readonly hint?: string;
  readonly type?: 'text' | 'password' | 'email' | 'tel' | 'search' | 'number';
  readonly required?: boolean;
  readonly autocomplete?: string;
  readonly inputMode?: 'numeric' | 'text';
  readonly maxLength?: number;
  /** Said next to the field when its value was filled in automatically (from the account, an earlier dossier). */
  readonly mark?: string | undefined;
}

function describedBy(name: string, hint: boolean, error: boolean, mark = false): string | undefined {
  const ids = [hint ? `${fieldId(name)}-hint` : '', mark ? `${fieldId(name)}-mark` : '', error ? `${fieldId(name)}-error` : ''].filter(Boolean);
  return ids.length > 0 ? ids.join(' ') : undefined;
}

function FieldShell(props: { name: string; label: string; hint?: string | undefined; error?: string | undefined; required?: boolean | undefined; mark?: string | undefined; children: ComponentChildren }) {
  return (
    <div class={props.error ? 'field field-error' : 'field'}>
      <label for={fieldId(props.name)}>
        {props.label}
        {props.required ? <span class="required"> (bắt buộc)</span> : null}
      </label>
      {props.hint ? (
        <p class="hint" id={`${fieldId(props.name)}-hint`}>
          {props.hint}
        </p>
      ) : null}
      {props.mark ? (
        <p class="autofill" id={`${fieldId(props.name)}-mark`}>
          {props.mark}
        </p>
      ) : null}
      {props.error ? (
        <p class="error-message" id={`${fieldId(props.name)}-error`}>
          <span class="visually-hidden">Lỗi: </span>
          {props.error}
        </p>
      ) : null}
      {props.children}
    </div>
  );
}

export function TextField(p: FieldProps) {
  return (
    <FieldShell name={p.name} label={p.label} hint={p.hint} error={p.error} required={p.required} mark={p.mark}>
      <input
        id={fieldId(p.name)}
        name={p.name}
        type={p.type ?? 'text'}
        value={p.type === 'password' ? '' : (p.value ?? '')}
        required={p.required}
        autocomplete={p.autocomplete}
        inputMode={p.inputMode}
        maxLength={p.maxLength}
        aria-invalid={p.error ? 'true' : undefined}
        aria-describedby={describedBy(p.name, Boolean(p.hint), Boolean(p.error), Boolean(p.mark))}
      />
    </FieldShell>
  );
}

/** A paragraph of text, with the same label, hint, mark and error as a one-line field. */
export function TextAreaField(p: Omit<FieldProps, 'type' | 'inputMode' | 'autocomplete'> & { rows?: number }) {
  return (
    <FieldShell name={p.name} label={p.label} hint={p.hint} error={p.error} required={p.required} mark={p.mark}>
      <textarea
        id={fieldId(p.name)}
        name={p.name}
        rows={p.rows ?? 4}
        maxLength={p.maxLength}
        aria-invalid={p.error ? 'true' : undefined}
        aria-describedby={describedBy(p.name, Boolean(p.hint), Boolean(p.error), Boolean(p.mark))}
      >
        {p.value ?? ''}
      </textarea>
    </FieldShell>
  );
}

/** One box to tick (a yes/no question or a commitment), posted as `1` when ticked. */
export function CheckboxField(p: Omit<FieldProps, 'type' | 'inputMode' | 'autocomplete' | 'maxLength'>) {
  const id = fieldId(p.name);
  return (
    <div class={p.error ? 'field field-error' : 'field'}>
      {p.error ? (
        <p class="error-message" id={`${id}-error`}>
          <span class="visually-hidden">Lỗi: </span>
          {p.error}
        </p>
      ) : null}
      <input type="checkbox" id={id} name={p.name} value="1" checked={p.value === '1'} aria-invalid={p.error ? 'true' : undefined} aria-describedby={describedBy(p.name, Boolean(p.hint), Boolean(p.error), Boolean(p.mark))} />{' '}
      <label for={id} class="checkbox-label">
        {p.label}
        {p.required ? <span class="required"> (bắt buộc)</span> : null}
      </label>
      {p.hint ? (
        <p class="hint" id={`${id}-hint`}>
          {p.hint}
        </p>
      ) : null}
      {p.mark ? (
        <p class="autofill" id={`${id}-mark`}>
          {p.mark}
        </p>
      ) : null}
    </div>
  );
}

/**
 * A calendar date typed as dd/MM/yyyy whatever the browser's language (a native date picker would show the
 * browser's own order, e.g. MM/dd/yyyy); the value is shown that way whether it came as YYYY-MM-DD or as typed.
 */
export function DateField(p: Omit<FieldProps, 'type' | 'inputMode' | 'maxLength'>) {
  const iso = isIsoDateText(p.value ?? '');
  const hint = `Ngày/tháng/năm, ví dụ 01/12/2026.${p.hint ? ` ${p.hint}` : ''}`;
  return <TextField {...p} value={iso ? formatIsoDate(p.value ?? '') : p.value} hint={hint} inputMode="numeric" autocomplete={p.autocomplete ?? 'off'} maxLength={10} />;
}

export interface Option {
  readonly value: string;
  readonly label: string;
}

export function SelectField(p: Omit<FieldProps, 'type'> & { options: readonly Option[]; placeholder?: string }) {
  return (
    <FieldShell name={p.name} label={p.label} hint={p.hint} error={p.error} required={p.required} mark={p.mark}>
      <select
        id={fieldId(p.name)}
        name={p.name}
        required={p.required}
        aria-invalid={p.error ? 'true' : undefined}
        aria-describedby={describedBy(p.name, Boolean(p.hint), Boolean(p.error), Boolean(p.mark))}
      >
        {p.placeholder !== undefined ? <option value="">{p.placeholder}</option> : null}
        {p.options.map((o) => (
          <option key={o.value} value={o.value} selected={o.value === p.value}>
            {o.label}
          </option>
        ))}
      </select>
    </FieldShell>
  );
}

/** A page-level outcome: `notice` confirms what happened (status), `message` says what went wrong (alert). */
export function PageMessages(props: { notice?: string | undefined; message?: string | undefined }) {
  return (
    <>
      {props.notice ? (
        <div class="notice" role="status">
          <p>{props.notice}</p>
        </div>
      ) : null}
      {props.message ? (
        <div class="error-summary" role="alert">
          <p>{props.message}</p>
        </div>
      ) : null}
    </>
  );
}
