import { type Static, Type } from 'typebox';
import { Uuid } from '../../platform/http/common-schemas.ts';

const NationalCode = Type.String({ pattern: '^[0-9]\\.[0-9]{6}$', description: 'national procedure code, e.g. 1.001193' });

export const PaperInput = Type.Object(
  {
    requirement: Type.Integer({ minimum: 1, maximum: 50, description: 'seq of the paper requirement of the procedure version' }),
    fileId: Type.Optional(Uuid),
    recordId: Type.Optional(Type.String({ format: 'uuid', description: 'a digitised record of the applicant, reused instead of uploading again' })),
  },
  { additionalProperties: false, description: 'one paper: a file uploaded through POST /api/v1/files, or a reused digitised record' },
);
export type PaperInput = Static<typeof PaperInput>;
const Papers = Type.Array(PaperInput, { maxItems: 60 });
const Answers = Type.Record(Type.String({ pattern: '^[a-z][a-z0-9_]{0,39}$' }), Type.String({ maxLength: 2000 }), {
  maxProperties: 50,
  description: "answers to the procedure version's own form fields, by field key (GET /api/v1/procedures/{code}/form-fields)",
});

export const OnlineSubmission = Type.Object(
  {
    procedureCode: NationalCode,
    decidingOrgUnitId: Uuid,
    phone: Type.Optional(Type.String({ pattern: '^0[0-9]{9}$' })),
    address: Type.String({ minLength: 5, maxLength: 300 }),
    request: Type.String({ minLength: 5, maxLength: 2000, description: 'what the applicant asks for, in their words' }),
    papers: Type.Optional(Papers),
    fields: Type.Optional(Answers),
  },
  { additionalProperties: false },
);
export type OnlineSubmission = Static<typeof OnlineSubmission>;

export const CounterReceipt = Type.Object(
  {
    procedureCode: NationalCode,
    decidingOrgUnitId: Uuid,
    channel: Type.Union([Type.Literal(1), Type.Literal(3)], { description: '1 at the counter, 3 by public postal service' }),
    applicantName: Type.String({ minLength: 2, maxLength: 200 }),
    applicantPersonalId: Type.Optional(Type.String({ pattern: '^[0-9]{12}$' })),
    address: Type.String({ minLength: 5, maxLength: 300 }),
    request: Type.String({ minLength: 5, maxLength: 2000 }),
    papers: Type.Optional(Type.Array(PaperInput, { maxItems: 60, description: 'scans of the papers received, uploaded by the officer' })),
    fields: Type.Optional(Answers),
  },
  { additionalProperties: false },
);
export type CounterReceipt = Static<typeof CounterReceipt>;

export const ActionName = Type.Union(
  ['receive', 'refuse', 'request_supplement', 'provide_supplement', 'start_processing', 'request_fee', 'pay_fee', 'stop', 'decide', 'deliver_result', 'withdraw', 'forward', 'send_back'].map((a) => Type.Literal(a)),
);
export const ActionParams = Type.Object({ id: Uuid, action: ActionName });
export const ActionBody = Type.Object(
  {
    note: Type.Optional(Type.String({ maxLength: 2000 })),
    amountVnd: Type.Optional(Type.Integer({ minimum: 1000, maximum: 10_000_000_000, description: 'fees to pay, with request_fee' })),
    fileIds: Type.Optional(Type.Array(Uuid, { maxItems: 10, description: 'uploaded files: papers with provide_supplement, the signed result (PDF) with decide' })),
    assigneeId: Type.Optional(Type.String({ format: 'uuid', description: 'with start_processing, forward or send_back: who works the next step' })),
    deliveryMethod: Type.Optional(Type.Union([Type.Literal('counter'), Type.Literal('online'), Type.Literal('postal')], { description: 'with deliver_result: at the counter (default), online (an electronic result is attached) or by public post' })),
  },
  { additionalProperties: false },
);

export const DossierView = Type.Object({
  id: Type.String(),
  code: Type.Union([Type.String(), Type.Null()]),
  status: Type.Integer({ minimum: 1, maximum: 10 }),
  statusLabel: Type.String(),
  channel: Type.Integer(),
  procedureCode: Type.String(),
  procedureName: Type.String(),
  applicantName: Type.String(),
  receivingOrgUnit: Type.String(),
  decidingOrgUnit: Type.Union([Type.String(), Type.Null()]),
  submittedAt: Type.String(),
  receivedAt: Type.Union([Type.String(), Type.Null()]),
  dueAt: Type.Union([Type.String(), Type.Null()]),
  decidedAt: Type.Union([Type.String(), Type.Null()]),
  timeliness: Type.Union([Type.String(), Type.Null()]),
  form: Type.Object({
    address: Type.Union([Type.String(), Type.Null()]),
    phone: Type.Union([Type.String(), Type.Null()]),
    request: Type.Union([Type.String(), Type.Null()]),
    answers: Type.Array(Type.Object({ key: Type.String(), label: Type.String(), value: Type.String({ description: 'as kept: dates YYYY-MM-DD' }), kind: Type.Union([Type.String(), Type.Null()], { description: 'the field kind, null for an answer to a removed field' }) })),
  }),
  resultDelivery: Type.Union([Type.Object({ method: Type.String(), postalTracking: Type.Union([Type.String(), Type.Null()]) }), Type.Null()]),
  rowVersion: Type.Integer(),
  availableActions: Type.Array(Type.String()),
  rating: Type.Union([Type.Object({ value: Type.Integer(), label: Type.String(), comment: Type.Union([Type.String(), Type.Null()]) }), Type.Null()]),
  canRate: Type.Boolean(),
  canExtend: Type.Boolean(),
  feeDue: Type.Union([Type.Object({ amountVnd: Type.Integer() }), Type.Null()]),
  extension: Type.Union([Type.Object({ at: Type.String(), reason: Type.String(), previousDueAt: Type.String(), newDueAt: Type.String() }), Type.Null()]),
  papers: Type.Array(
    Type.Object({
      id: Type.String(),
      kind: Type.Union([Type.Literal('submitted'), Type.Literal('supplement'), Type.Literal('result')]),
      title: Type.String(),
      fileName: Type.String(),
      mediaType: Type.String(),
      sizeBytes: Type.Integer(),
      hasSignature: Type.Boolean(),
      reused: Type.Boolean(),
      addedAt: Type.String(),
    }),
  ),
  step: Type.Union([
    Type.Object({
      seq: Type.Integer(),
      name: Type.String(),
      count: Type.Integer({ description: 'steps in the workflow' }),
      unit: Type.String(),
      dueAt: Type.Union([Type.String(), Type.Null()]),
      assignee: Type.Union([Type.String(), Type.Null()]),
      nextCandidates: Type.Array(Type.Object({ id: Type.String(), name: Type.String() })),
    }),
    Type.Null(),
  ]),
  events: Type.Array(
    Type.Object({
      action: Type.String(),
      fromStatus: Type.Union([Type.Integer(), Type.Null()]),
      toStatus: Type.Integer(),
      actor: Type.String(),
      at: Type.String(),
      note: Type.Union([Type.String(), Type.Null()]),
      detail: Type.Union([Type.String(), Type.Null()], { description: 'the step and agency of a hand-over, or the assignee' }),
    }),
  ),
});
export type DossierView = Static<typeof DossierView>;

export const QueueQuery = Type.Object(
  {
    view: Type.Optional(Type.Union([Type.Literal('todo'), Type.Literal('mine'), Type.Literal('due_soon'), Type.Literal('overdue'), Type.Literal('waiting'), Type.Literal('all')])),
    q: Type.Optional(Type.String({ maxLength: 100, description: 'dossier code, applicant name (without diacritics) or personal id' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 50 })),
    offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 100_000, default: 0 })),
  },
  { additionalProperties: false },
);
export type QueueQuery = Static<typeof QueueQuery>;

export const QueueItem = Type.Object({
  id: Type.String(),
  code: Type.Union([Type.String(), Type.Null()]),
  status: Type.Integer(),
  statusLabel: Type.String(),
  procedureName: Type.String(),
  applicantName: Type.String(),
  dueAt: Type.Union([Type.String(), Type.Null()]),
  channel: Type.Integer(),
  assignee: Type.Union([Type.String(), Type.Null()]),
});
export const QueueResult = Type.Object({ items: Type.Array(QueueItem), total: Type.Integer() });

export const LookupQuery = Type.Object({ code: Type.String({ minLength: 5, maxLength: 60 }) }, { additionalProperties: false });
export const LookupView = Type.Object(
  {
    code: Type.String(),
    status: Type.Integer(),
    statusLabel: Type.String(),
    procedureCode: Type.String(),
    procedureName: Type.String(),
    receivingOrgUnit: Type.String({ description: 'the agency that received the dossier' }),
    dueAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()], { description: 'appointment for the result (ngày hẹn trả); null before receipt' }),
    steps: Type.Array(
      Type.Object({ at: Type.String({ format: 'date-time' }), status: Type.Integer(), statusLabel: Type.String(), action: Type.String(), actionLabel: Type.String() }),
      { description: 'each change of status so far, oldest first' },
    ),
  },
  { description: 'what anyone with the code may read: no names, IDs, contact details or notes' },
);
export type LookupView = Static<typeof LookupView>;

export const RatingBody = Type.Object(
  {
    rating: Type.Union([Type.Literal(1), Type.Literal(2), Type.Literal(3)], { description: '1 Rất hài lòng, 2 Hài lòng, 3 Chưa hài lòng' }),
    comment: Type.Optional(Type.String({ maxLength: 2000 })),
  },
  { additionalProperties: false },
);
export type RatingBody = Static<typeof RatingBody>;

export const ExtensionBody = Type.Object(
  {
    newDueDate: Type.String({ format: 'date', description: 'the new appointment date (a working day), YYYY-MM-DD' }),
    reason: Type.String({ minLength: 1, maxLength: 2000 }),
  },
  { additionalProperties: false },
);
export type ExtensionBody = Static<typeof ExtensionBody>;

export const FileView = Type.Object({
  id: Type.String(),
  fileName: Type.String(),
  mediaType: Type.String(),
  sizeBytes: Type.Integer(),
  sha256: Type.String(),
  hasSignature: Type.Boolean({ description: 'the PDF carries a signature field (presence, not yet verification)' }),
});

export const RecordView = Type.Object({
  id: Type.String(),
  kind: Type.Union([Type.Literal('paper'), Type.Literal('result')]),
  title: Type.String(),
  fileName: Type.String(),
  dossierCode: Type.Union([Type.String(), Type.Null()], { description: 'the dossier the record came with' }),
  label: Type.String({ description: 'title, file, dossier and day (dd/MM/yyyy, Asia/Ho_Chi_Minh): what tells records of one title apart' }),
  mediaType: Type.String(),
  sizeBytes: Type.Integer(),
  createdAt: Type.String(),
});

export const AssignmentBody = Type.Object(
  {
    dossierIds: Type.Array(Uuid, { minItems: 1, maxItems: 100 }),
    assigneeId: Uuid,
  },
  { additionalProperties: false },
);
export type AssignmentBody = Static<typeof AssignmentBody>;
