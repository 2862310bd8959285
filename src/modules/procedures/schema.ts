import { type Static, Type } from 'typebox';

export const LevelSchema = Type.Union([Type.Literal('ministry'), Type.Literal('province'), Type.Literal('commune'), Type.Literal('other')]);
export const OnlineLevelSchema = Type.Union([Type.Literal('full'), Type.Literal('partial'), Type.Literal('none')]);
export const NationalCode = Type.String({ pattern: '^[0-9]\\.[0-9]{6}$', description: 'national procedure code, e.g. 1.001193' });

export const ProcedureSearchQuery = Type.Object(
  {
    q: Type.Optional(Type.String({ maxLength: 200, description: 'words, with or without diacritics' })),
    sector: Type.Optional(Type.Integer({ minimum: 1, description: 'sector id (GET /api/v1/sectors)' })),
    level: Type.Optional(LevelSchema),
    onlineLevel: Type.Optional(OnlineLevelSchema),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
    offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 100_000, default: 0, description: 'offset pagination: skip this many results' })),
  },
  { additionalProperties: false },
);
export type ProcedureSearchQuery = Static<typeof ProcedureSearchQuery>;

const ProcessingTimeView = Type.Object({
  raw: Type.String(),
  value: Type.Union([Type.Number(), Type.Null()]),
  unit: Type.Union([Type.String(), Type.Null()]),
  text: Type.String({ description: 'Vietnamese display text' }),
});

export const ProcedureSummary = Type.Object({
  nationalCode: Type.String(),
  name: Type.String(),
  sector: Type.Union([Type.String(), Type.Null()]),
  levels: Type.Array(Type.String()),
  onlineLevel: OnlineLevelSchema,
  processingTime: ProcessingTimeView,
  versionNo: Type.Integer(),
});
export type ProcedureSummary = Static<typeof ProcedureSummary>;

export const ProcedureSearchResult = Type.Object({
  items: Type.Array(ProcedureSummary),
  total: Type.Integer(),
  limit: Type.Integer(),
  offset: Type.Integer(),
});

export const ProcedureDetail = Type.Object({
  ...ProcedureSummary.properties,
  validFrom: Type.String(),
  validTo: Type.Union([Type.String(), Type.Null()]),
  decisionRef: Type.Union([Type.String(), Type.Null()]),
  ministry: Type.Union([Type.String(), Type.Null()]),
  procedureType: Type.Union([Type.String(), Type.Null()]),
  channels: Type.Array(Type.String()),
  fees: Type.Array(Type.Object({ label: Type.String(), amountVnd: Type.Union([Type.Number(), Type.Null()]) })),
  feeRaw: Type.String(),
  documents: Type.Array(
    Type.Object({
      group: Type.Union([Type.String(), Type.Null()]),
      name: Type.String(),
      copies: Type.Union([Type.Number(), Type.Null()]),
      copyType: Type.Union([Type.String(), Type.Null()]),
    }),
  ),
  steps: Type.Union([Type.String(), Type.Null()]),
  requirements: Type.Union([Type.String(), Type.Null()]),
  result: Type.Union([Type.String(), Type.Null()]),
  legalBasis: Type.Array(Type.Object({ title: Type.String(), number: Type.String() })),
  applicants: Type.Union([Type.String(), Type.Null()]),
  implementingAgency: Type.Union([Type.String(), Type.Null()]),
  decidingAgency: Type.Union([Type.String(), Type.Null()]),
  sourceUrl: Type.Union([Type.String(), Type.Null()]),
  detailLevel: Type.String(),
  versions: Type.Array(
    Type.Object({
      versionNo: Type.Integer(),
      validFrom: Type.String(),
      validTo: Type.Union([Type.String(), Type.Null()]),
      origin: Type.Union([Type.Literal('catalogue'), Type.Literal('setup')], { description: 'catalogue: a published decision; setup: the papers, steps or form fields set by the province' }),
    }),
  ),
});
export type ProcedureDetail = Static<typeof ProcedureDetail>;

export const CodeParams = Type.Object({ code: NationalCode });
export const VersionParams = Type.Object({ code: NationalCode, versionNo: Type.Integer({ minimum: 1, maximum: 10_000 }) });

export const SectorList = Type.Array(Type.Object({ id: Type.Integer(), name: Type.String(), procedures: Type.Integer() }));

export const AssignmentBody = Type.Object(
  { nationalCodes: Type.Array(Type.String({ maxLength: 20 }), { maxItems: 5000 }) },
  { additionalProperties: false },
);
export type AssignmentBody = Static<typeof AssignmentBody>;

export const OrgUnitParams = Type.Object({ id: Type.String({ format: 'uuid' }) });

export const AssignmentList = Type.Object({
  orgUnitId: Type.String(),
  items: Type.Array(Type.Object({ nationalCode: Type.String(), name: Type.String() })),
});

export const ImportSummaryView = Type.Object({
  runId: Type.String(),
  total: Type.Integer(),
  created: Type.Integer(),
  newVersions: Type.Integer(),
  unchanged: Type.Integer(),
  rejects: Type.Array(Type.Object({ row: Type.Integer(), code: Type.Union([Type.String(), Type.Null()]), reasons: Type.Array(Type.String()) })),
});

export const UnitList = Type.Array(Type.Object({ id: Type.String(), name: Type.String() }));

const MediaType = Type.Union([Type.Literal('application/pdf'), Type.Literal('image/jpeg'), Type.Literal('image/png')]);
export const PaperRequirementsBody = Type.Object(
  {
    requirements: Type.Array(
      Type.Object(
        {
          name: Type.String({ minLength: 1, maxLength: 500 }),
          required: Type.Boolean(),
          mediaTypes: Type.Array(MediaType, { minItems: 1, maxItems: 3, uniqueItems: true }),
          maxBytes: Type.Integer({ minimum: 1024, maximum: 10 * 1024 * 1024 }),
          hint: Type.Optional(Type.Union([Type.String({ maxLength: 500 }), Type.Null()], { description: 'when the paper is needed, e.g. "Chỉ nộp khi ủy quyền người khác"' })),
        },
        { additionalProperties: false },
      ),
      { maxItems: 50 },
    ),
  },
  { additionalProperties: false },
);
export type PaperRequirementsBody = Static<typeof PaperRequirementsBody>;
const SetupVersionNo = Type.Integer({ description: 'the version in force, also the ETag: send it back in If-Match to change this setup' });
export const PaperRequirementsView = Type.Object({
  versionNo: SetupVersionNo,
  custom: Type.Boolean({ description: 'false: derived from the published document list' }),
  requirements: Type.Array(Type.Object({ seq: Type.Integer(), name: Type.String(), required: Type.Boolean(), mediaTypes: Type.Array(Type.String()), maxBytes: Type.Integer(), hint: Type.Union([Type.String(), Type.Null()]) })),
});

const StepRoleSchema = Type.Union([Type.Literal('specialist'), Type.Literal('department_leader'), Type.Literal('agency_leader')]);
export const WorkflowBody = Type.Object(
  {
    steps: Type.Array(
      Type.Object(
        {
          name: Type.String({ minLength: 1, maxLength: 200 }),
          role: StepRoleSchema,
          orgUnitId: Type.Union([Type.String({ format: 'uuid' }), Type.Null()], { description: 'null: the deciding unit; else another agency (liên thông)' }),
          budgetPercent: Type.Integer({ minimum: 1, maximum: 100 }),
        },
        { additionalProperties: false },
      ),
      { minItems: 1, maxItems: 20 },
    ),
  },
  { additionalProperties: false },
);
export type WorkflowBody = Static<typeof WorkflowBody>;
export const WorkflowView = Type.Object({
  versionNo: SetupVersionNo,
  custom: Type.Boolean({ description: 'false: the default review and approval steps' }),
  steps: Type.Array(Type.Object({ seq: Type.Integer(), name: Type.String(), role: Type.String(), orgUnitId: Type.Union([Type.String(), Type.Null()]), budgetPercent: Type.Integer() })),
});

const FieldKind = Type.Union(
  [
    Type.Literal('text'),
    Type.Literal('textarea'),
    Type.Literal('date'),
    Type.Literal('number'),
    Type.Literal('select'),
    Type.Literal('checkbox'),
    Type.Literal('personal_id'),
    Type.Literal('phone'),
    Type.Literal('address'),
  ],
  { description: 'text, textarea, date (YYYY-MM-DD; dd/MM/yyyy on pages), number, select (one of options), checkbox (true when ticked), personal_id (12 digits), phone, address ({ commune, street } on the admin units in force)' },
);
const PrefillFactSchema = Type.Union(
  [
    Type.Literal('full_name'),
    Type.Literal('date_of_birth'),
    Type.Literal('sex'),
    Type.Literal('ethnicity'),
    Type.Literal('personal_id'),
    Type.Literal('phone'),
    Type.Literal('email'),
    Type.Literal('address'),
  ],
  { description: "the applicant's fact the field is filled in from: their account, else their latest dossier that answered it" },
);
const OptionalText = (max: number, description: string) => Type.Optional(Type.Union([Type.String({ maxLength: max }), Type.Null()], { description }));
export const FormFieldSchema = Type.Object(
  {
    key: Type.String({ pattern: '^[a-z][a-z0-9_]{0,39}$', description: 'the answer key, e.g. ngay_sinh' }),
    label: Type.String({ minLength: 1, maxLength: 200 }),
    kind: FieldKind,
    required: Type.Boolean(),
    options: Type.Array(Type.String({ minLength: 1, maxLength: 200 }), { maxItems: 100, description: 'choices of a select field' }),
    help: OptionalText(500, 'how to answer, shown under the label'),
    group: OptionalText(200, 'the section of the form (consecutive fields of one section are shown together)'),
    prefill: Type.Optional(Type.Union([PrefillFactSchema, Type.Null()])),
    source: OptionalText(500, 'where the question comes from: the official form and its item'),
  },
  { additionalProperties: false },
);
export const FormFieldsBody = Type.Object({ fields: Type.Array(FormFieldSchema, { maxItems: 50 }) }, { additionalProperties: false });
export type FormFieldsBody = Static<typeof FormFieldsBody>;
export const FormFieldsView = Type.Object({
  versionNo: SetupVersionNo,
  fields: Type.Array(
    Type.Object({
      ...FormFieldSchema.properties,
      help: Type.Union([Type.String(), Type.Null()]),
      group: Type.Union([Type.String(), Type.Null()]),
      prefill: Type.Union([PrefillFactSchema, Type.Null()]),
      source: Type.Union([Type.String(), Type.Null()]),
    }),
  ),
  answersSchema: Type.Record(Type.String(), Type.Unknown(), { description: 'JSON Schema (2020-12) of the `fields` object of a submission (POST /api/v1/dossiers) under this version' }),
});
