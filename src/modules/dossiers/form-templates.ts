import { type Static, Type } from 'typebox';
import type { DbOrTx } from '../../platform/db/database.ts';
import { AppError } from '../../platform/errors.ts';
import { parseWith } from '../../platform/http/validation.ts';
import { listRuleSets } from '../../platform/rules/rule-sets.ts';

/** The one-stop forms CQS prints. */
export const FORM_KINDS = ['receipt', 'supplement_request', 'refusal', 'apology', 'stop_notice', 'control_slip', 'register'] as const;
export type FormKind = (typeof FORM_KINDS)[number];

const FormTemplate = Type.Object({ number: Type.String({ pattern: '^[0-9]{2}$' }), title: Type.String({ minLength: 5, maxLength: 200 }) });
export type FormTemplate = Static<typeof FormTemplate>;

/**
 * One version of the forms (migrations/0026): the instrument that issues them, the number and title of each, and
 * what the apology offers — a new date (TT 01/2018) or an extension of the time (TT 03/2025). A version may lack a
 * form the instrument did not have (the stop notice before TT 03/2025).
 */
export const FormTemplatesSchema = Type.Object({
  reference: Type.String({ minLength: 5, maxLength: 100 }),
  apologyAsks: Type.Union([Type.Literal('new_date'), Type.Literal('extension')]),
  forms: Type.Object({
    receipt: FormTemplate,
    supplement_request: FormTemplate,
    refusal: FormTemplate,
    apology: FormTemplate,
    stop_notice: Type.Optional(FormTemplate),
    control_slip: FormTemplate,
    register: FormTemplate,
  }),
});
export type FormTemplates = Static<typeof FormTemplatesSchema>;

export const FORM_TEMPLATES = 'dossier_forms';

/** A form as one version prints it: its number, title and the instrument they come from. */
export interface ChosenForm extends FormTemplate {
  readonly reference: string;
  readonly apologyAsks: FormTemplates['apologyAsks'];
}

interface Version {
  readonly validFrom: string;
  readonly templates: FormTemplates;
}

// Versions are rows never edited (the kernel's trigger refuses it) and new ones come with a migration: read once.
let versions: Promise<Version[]> | undefined;

function allVersions(db: DbOrTx): Promise<Version[]> {
  versions ??= listRuleSets(db, FORM_TEMPLATES)
    .then((rows) => rows.map((r) => ({ validFrom: r.valid_from, templates: parseWith<FormTemplates>(FormTemplatesSchema, r.rules) })).sort((a, b) => a.validFrom.localeCompare(b.validFrom)))
    .catch((error: unknown) => {
      versions = undefined;
      throw error;
    });
  return versions;
}

/**
 * The form of `kind` for a dossier of `date` (YYYY-MM-DD): from the version in force that day (the earliest for a
 * dossier older than every version); a form that version lacks comes from the first later version that has it, so
 * a dossier of the 2018 forms stopped under TT 03/2025 gets that circular's stop notice.
 */
export async function formFor(db: DbOrTx, kind: FormKind, date: string): Promise<ChosenForm> {
  const all = await allVersions(db);
  const inForce = Math.max(0, all.findLastIndex((v) => v.validFrom <= date));
  const version = all.slice(inForce).find((v) => v.templates.forms[kind] !== undefined);
  const form = version?.templates.forms[kind];
  if (!version || !form) throw new AppError('internal', { detail: `no ${kind} form template for ${date}` });
  return { ...form, reference: version.templates.reference, apologyAsks: version.templates.apologyAsks };
}
