import { readReference } from '../../platform/db/reference-cache.ts';
import type { Actor } from '../../platform/audit/audit-log.ts';
import type { Db, DbOrTx } from '../../platform/db/database.ts';
import { AppError } from '../../platform/errors.ts';
import { type FormField, type FormFieldInput, formDefinitionProblems, normaliseDefinition } from './eform.ts';
import { reviseSetup, type SetupEdit, type VersionRef } from './setup-revision.ts';

export type { FormField } from './eform.ts';

/** The e-form of a procedure version, in order. */
export async function formFieldsOf(db: DbOrTx, versionId: string): Promise<FormField[]> {
  return readReference(db, 'form-fields', ['form_fields'], versionId, async () => {
    const rows = await db.selectFrom('form_fields').selectAll().where('procedure_version_id', '=', versionId).orderBy('seq').execute();
    return rows.map((r) => ({ key: r.key, label: r.label, kind: r.kind, required: r.required, options: r.options, help: r.help_text, group: r.group_label, prefill: r.prefill, source: r.source }));
  });
}

/** The edit that replaces a version's e-form, once the definition is checked (every problem at once). */
export function formFieldsEdit(fields: readonly FormFieldInput[]): SetupEdit<FormField[]> {
  const problems = formDefinitionProblems(fields);
  if (problems.length > 0) throw AppError.validation(problems);
  const after = normaliseDefinition(fields);
  return {
    action: 'procedure.form_fields_set',
    read: async (tx, id) => {
      const current = await formFieldsOf(tx, id);
      return current.length > 0 ? current : null;
    },
    write: async (tx, id) => {
      await tx.deleteFrom('form_fields').where('procedure_version_id', '=', id).execute();
      if (after.length === 0) return;
      await tx
        .insertInto('form_fields')
        .values(after.map((f, i) => ({ procedure_version_id: id, seq: i + 1, key: f.key, label: f.label, kind: f.kind, required: f.required, options: [...f.options], help_text: f.help, group_label: f.group, prefill: f.prefill, source: f.source })))
        .execute();
    },
    after: after.length > 0 ? after : null,
  };
}

/**
 * Sets a procedure's e-form (administrator). The procedure's version in force is superseded by a new version with
 * this form (see `reviseSetup`); dossiers already made keep the form they were filled in on.
 */
export async function setFormFields(db: Db, actor: Actor, versionId: string, fields: readonly FormFieldInput[], expectedVersionNo?: number): Promise<VersionRef> {
  return reviseSetup(db, actor, versionId, formFieldsEdit(fields), expectedVersionNo);
}
