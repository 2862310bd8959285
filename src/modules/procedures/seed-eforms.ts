import { readdir, readFile } from 'node:fs/promises';
import { type Static, Type } from 'typebox';
import { type Actor, systemActor } from '../../platform/audit/audit-log.ts';
import type { Db } from '../../platform/db/database.ts';
import type { FormFieldKind, PrefillFact } from '../../platform/db/schema.ts';
import { MAX_FILE_BYTES } from '../../platform/http/multipart.ts';
import { parseWith } from '../../platform/http/validation.ts';
import { ETHNIC_GROUPS } from '../directory/index.ts';
import type { FormFieldInput } from './eform.ts';
import { formFieldsEdit, formFieldsOf } from './form-fields.ts';
import { ALL_PAPER_TYPES, type PaperRequirement, papersEdit } from './paper-requirements.ts';
import { FormFieldSchema } from './schema.ts';
import { combinedEdit, reviseSetup } from './setup-revision.ts';

export const EFORMS_DIR = new URL('../../../data/eforms/', import.meta.url);

const Text = (max: number) => Type.String({ minLength: 1, maxLength: max });
/** One file of `data/eforms/`: a procedure's e-form and cleaned paper list, each item with its source. */
export const EformSeed = Type.Object(
  {
    nationalCode: Type.String({ pattern: '^[0-9]\\.[0-9]{6}$' }),
    procedure: Text(300),
    chosenBecause: Text(1000),
    form: Type.Object({ title: Text(300), basis: Text(500), inShared: Type.Boolean(), note: Text(1500) }, { additionalProperties: false }),
    fields: Type.Array(
      Type.Object(
        {
          key: FormFieldSchema.properties.key,
          label: FormFieldSchema.properties.label,
          kind: FormFieldSchema.properties.kind,
          required: Type.Boolean(),
          options: Type.Optional(FormFieldSchema.properties.options),
          optionsFrom: Type.Optional(Type.Literal('ethnic_groups')),
          help: Type.Optional(Text(500)),
          group: Type.Optional(Text(200)),
          prefill: Type.Optional(FormFieldSchema.properties.prefill),
          source: Text(500),
        },
        { additionalProperties: false },
      ),
      { minItems: 1, maxItems: 50 },
    ),
    papers: Type.Array(Type.Object({ name: Text(500), required: Type.Boolean(), hint: Type.Optional(Text(500)), source: Text(500) }, { additionalProperties: false }), { maxItems: 50 }),
  },
  { additionalProperties: false },
);
export type EformSeed = Static<typeof EformSeed>;

/** The definition and papers a seed file sets. */
export function setupOfSeed(seed: EformSeed): { fields: FormFieldInput[]; papers: PaperRequirement[] } {
  return {
    fields: seed.fields.map((f) => ({
      key: f.key,
      label: f.label,
      kind: f.kind as FormFieldKind,
      required: f.required,
      options: f.optionsFrom === 'ethnic_groups' ? [...ETHNIC_GROUPS] : (f.options ?? []),
      help: f.help ?? null,
      group: f.group ?? null,
      prefill: (f.prefill ?? null) as PrefillFact | null,
      source: f.source,
    })),
    papers: seed.papers.map((p, i) => ({ seq: i + 1, name: p.name, required: p.required, mediaTypes: ALL_PAPER_TYPES, maxBytes: MAX_FILE_BYTES, hint: p.hint ?? null })),
  };
}

/** The bundled seed files, checked (a broken file stops the load with every problem named). */
export async function readEformSeeds(dir: URL = EFORMS_DIR): Promise<EformSeed[]> {
  const names = (await readdir(dir)).filter((n) => n.endsWith('.json')).sort();
  return Promise.all(names.map(async (n) => parseWith<EformSeed>(EformSeed, JSON.parse(await readFile(new URL(n, dir), 'utf8')))));
}

/**
 * Gives each seeded procedure its e-form and papers, as one new version of its setup, unless its version in force
 * already has an e-form (seeded before, or set by an administrator): run again, it changes nothing.
 */
export async function seedEforms(db: Db, actor: Actor = systemActor('demo-seed'), seeds?: readonly EformSeed[]): Promise<number> {
  let made = 0;
  for (const seed of seeds ?? (await readEformSeeds())) {
    const v = await db
      .selectFrom('procedure_versions as v')
      .innerJoin('procedures as p', 'p.id', 'v.procedure_id')
      .select('v.id')
      .where('p.national_code', '=', seed.nationalCode)
      .where('v.valid_to', 'is', null)
      .executeTakeFirst();
    if (!v || (await formFieldsOf(db, v.id)).length > 0) continue;
    const { fields, papers } = setupOfSeed(seed);
    await reviseSetup(db, actor, v.id, combinedEdit('procedure.eform_seeded', formFieldsEdit(fields), papersEdit(papers)));
    made++;
  }
  return made;
}
