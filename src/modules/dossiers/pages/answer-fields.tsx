import type { ComponentChildren } from 'preact';
import { type AddressChoices, AddressField } from '../../../web/address-field.tsx';
import { CheckboxField, DateField, type FormErrors, SelectField, TextAreaField, TextField } from '../../../web/form.tsx';
import { formatIsoDate } from '../../../web/format.ts';
import type { FormField } from '../../procedures/index.ts';

/** The fields of one run of a section of the form (or of no section). */
function sections(fields: readonly FormField[]): { group: string | null; fields: FormField[] }[] {
  const out: { group: string | null; fields: FormField[] }[] = [];
  for (const f of fields) {
    const last = out.at(-1);
    if (last && last.group === f.group) last.fields.push(f);
    else out.push({ group: f.group, fields: [f] });
  }
  return out;
}

function Section(props: { group: string | null; children: ComponentChildren }) {
  if (!props.group) return <>{props.children}</>;
  return (
    <fieldset class="form-group">
      <legend>{props.group}</legend>
      {props.children}
    </fieldset>
  );
}

/**
 * A procedure's e-form, section by section, named `fields.<key>`: what the user typed (or what was filled in for
 * them, marked as such), the help of each question and the errors next to them.
 */
export function AnswerFields(props: { fields: readonly FormField[]; form: Record<string, string>; errors: FormErrors; places: Readonly<Record<string, AddressChoices>>; marks: Readonly<Record<string, string>> }) {
  const one = (f: FormField) => {
    const name = `fields.${f.key}`;
    const common = { name, label: f.label, value: props.form[name], error: props.errors[name], required: f.required, mark: props.marks[name], ...(f.help ? { hint: f.help } : {}) };
    switch (f.kind) {
      case 'select':
        return <SelectField key={f.key} {...common} options={f.options.map((o) => ({ value: o, label: o }))} placeholder="Chọn" />;
      case 'date':
        return <DateField key={f.key} {...common} />;
      case 'number':
        return <TextField key={f.key} {...common} inputMode="numeric" maxLength={20} />;
      case 'textarea':
        return <TextAreaField key={f.key} {...common} maxLength={2000} />;
      case 'checkbox':
        return <CheckboxField key={f.key} {...common} />;
      case 'personal_id':
        return <TextField key={f.key} {...common} inputMode="numeric" maxLength={12} autocomplete="off" />;
      case 'phone':
        return <TextField key={f.key} {...common} type="tel" maxLength={11} autocomplete="tel" />;
      case 'address': {
        const choices = props.places[f.key] ?? { provinces: [], province: '', communes: [] };
        const value = { commune: props.form[`${name}.commune`], street: props.form[`${name}.street`] };
        const errors = { field: props.errors[name], commune: props.errors[`${name}.commune`], street: props.errors[`${name}.street`] };
        return <AddressField key={f.key} name={name} label={f.label} value={value} choices={choices} errors={errors} hint={f.help ?? undefined} mark={props.marks[name]} required={f.required} />;
      }
      default:
        return <TextField key={f.key} {...common} maxLength={300} />;
    }
  };
  return (
    <>
      {sections(props.fields).map((s, i) => (
        <Section key={`${s.group ?? ''}-${i}`} group={s.group}>
          {s.fields.map(one)}
        </Section>
      ))}
    </>
  );
}

/** The labels the error summary names each answer (and each part of an address) with. */
export const answerLabels = (fields: readonly FormField[]) =>
  Object.fromEntries(
    fields.flatMap((f) => [
      [`fields.${f.key}`, f.label],
      ...(f.kind === 'address' ? [[`fields.${f.key}.commune`, `${f.label} — phường, xã`] as const, [`fields.${f.key}.street`, `${f.label} — số nhà, đường`] as const] : []),
    ]),
  );

/** The answers as the check-your-answers page lists them, section by section, with the automatic ones marked. */
export function AnswerSummary(props: { fields: readonly FormField[]; values: Readonly<Record<string, string>>; marks: Readonly<Record<string, string>> }) {
  return (
    <>
      {props.fields.map((f, i) => (
        <div key={f.key}>
          <dt>
            {f.group && f.group !== props.fields[i - 1]?.group ? <span class="meta">{f.group}: </span> : null}
            {f.label}
          </dt>
          <dd>
            {(f.kind === 'date' && props.values[f.key] ? formatIsoDate(props.values[f.key] ?? '') : props.values[f.key]) || '—'}
            {props.marks[`fields.${f.key}`] ? <span class="autofill"> ({props.marks[`fields.${f.key}`]})</span> : null}
          </dd>
        </div>
      ))}
    </>
  );
}
