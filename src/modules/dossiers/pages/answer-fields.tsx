import { parseDateInput } from '../../../platform/time.ts';
import { DateField, type FormErrors, SelectField, TextField } from '../../../web/form.tsx';
import type { FormField } from '../../procedures/index.ts';

/** The procedure's own form fields, named `fields.<key>`, with what the user typed and the errors next to them. */
export function AnswerFields(props: { fields: readonly FormField[]; form: Record<string, string>; errors: FormErrors }) {
  return (
    <>
      {props.fields.map((f) => {
        const name = `fields.${f.key}`;
        const common = { name, label: f.label, value: props.form[name], error: props.errors[name], required: f.required };
        if (f.kind === 'select') return <SelectField key={f.key} {...common} options={f.options.map((o) => ({ value: o, label: o }))} placeholder="Chọn" />;
        if (f.kind === 'date') return <DateField key={f.key} {...common} />;
        if (f.kind === 'number') return <TextField key={f.key} {...common} inputMode="numeric" maxLength={20} />;
        return <TextField key={f.key} {...common} maxLength={f.kind === 'textarea' ? 2000 : 300} />;
      })}
    </>
  );
}

export const answerLabels = (fields: readonly FormField[]) => Object.fromEntries(fields.map((f) => [`fields.${f.key}`, f.label]));

/** The answers from a posted form's `fields.<key>` entries, for the fields the form has; dates as YYYY-MM-DD where they parse. */
export function answersOf(fields: readonly FormField[], form: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    fields.flatMap((f) => {
      const typed = form[`fields.${f.key}`];
      if (!typed) return [];
      return [[f.key, f.kind === 'date' ? (parseDateInput(typed) ?? typed) : typed]];
    }),
  );
}
