import { type Static, Type } from 'typebox';
import { Uuid } from '../../platform/http/common-schemas.ts';
import { AddressInput } from '../directory/index.ts';

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
// An address answer's parts are checked against the form with the other answers (a missing street is one of the
// errors listed together), so the boundary only bounds their size.
const AddressAnswer = Type.Object(
  { commune: Type.String({ maxLength: 5, description: 'GSO code of a commune in force (GET /api/v1/admin-units?q=…)' }), street: Type.String({ maxLength: 200, description: 'house number, street, hamlet or residential group' }) },
  { additionalProperties: false },
);
const Answers = Type.Record(Type.String({ pattern: '^[a-z][a-z0-9_]{0,39}$' }), Type.Union([Type.String({ maxLength: 2000 }), Type.Boolean(), AddressAnswer]), {
  maxProperties: 50,
  description:
    "answers to the procedure version's e-form, by field key: the JSON Schema is `answersSchema` of GET /api/v1/procedures/{code}/form-fields. An answer equal to the one GET /api/v1/dossiers/prefill/{code} offers is recorded as filled in from there; any other as typed.",
});
const Phone = Type.String({ pattern: '^0[0-9]{9,10}$', description: 'contact phone: notifications (SMS) go to it' });
const Email = Type.String({ format: 'email', maxLength: 200, description: 'contact e-mail: notifications go to it' });
const Delivery = {
  resultDelivery: Type.Optional(Type.Union([Type.Literal('counter'), Type.Literal('postal'), Type.Literal('online')], { description: 'how the applicant wants the result: at the counter (default), by public post, online' })),
  deliveryAddress: Type.Optional(Type.String({ minLength: 5, maxLength: 300, description: 'where the post brings the result; default: the contact address' })),
};

export const OnlineSubmission = Type.Object(
  {
    procedureCode: NationalCode,
    decidingOrgUnitId: Uuid,
    phone: Type.Optional(Phone),
    email: Type.Optional(Email),
    address: Type.String({ minLength: 5, maxLength: 300 }),
    request: Type.String({ minLength: 5, maxLength: 2000, description: 'what the applicant asks for, in their words' }),
    ...Delivery,
    papers: Type.Optional(Papers),
    fields: Type.Optional(Answers),
  },
  { additionalProperties: false },
);
export type OnlineSubmission = Static<typeof OnlineSubmission>;

export const ReceivedPaperCount = Type.Object(
  {
    requirement: Type.Integer({ minimum: 1, maximum: 50, description: 'seq of the paper requirement of the procedure version' }),
    originals: Type.Integer({ minimum: 0, maximum: 20, description: 'bản chính received' }),
    copies: Type.Integer({ minimum: 0, maximum: 20, description: 'bản sao received' }),
  },
  { additionalProperties: false },
);
export type ReceivedPaperCount = Static<typeof ReceivedPaperCount>;

export const CounterReceipt = Type.Object(
  {
    procedureCode: NationalCode,
    decidingOrgUnitId: Uuid,
    channel: Type.Union([Type.Literal(1), Type.Literal(3)], { description: '1 at the counter, 3 by public postal service' }),
    applicantName: Type.String({ minLength: 2, maxLength: 200 }),
    applicantPersonalId: Type.Optional(Type.String({ pattern: '^[0-9]{12}$' })),
    address: Type.String({ minLength: 5, maxLength: 300 }),
    phone: Type.Optional(Phone),
    email: Type.Optional(Email),
    request: Type.String({ minLength: 5, maxLength: 2000 }),
    sets: Type.Optional(Type.Integer({ minimum: 1, maximum: 20, description: 'sets (bộ) of the dossier received; 1 when absent' })),
    receivedPapers: Type.Optional(Type.Array(ReceivedPaperCount, { maxItems: 50, description: 'originals and copies received of each paper the procedure asks for (Mẫu 01); papers only shown are counted without a scan' })),
    ...Delivery,
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
    note: Type.Optional(Type.String({ maxLength: 2000, description: 'the reason, required with refuse, request_supplement, stop and withdraw (at least the pinned minimum length)' })),
    papers: Type.Optional(Type.Array(PaperInput, { maxItems: 60, description: "with provide_supplement: papers for the procedure's requirements (one for a paper already given replaces it)" })),
    amountVnd: Type.Optional(Type.Integer({ minimum: 1000, maximum: 10_000_000_000, description: 'fees to pay, with request_fee' })),
    fileIds: Type.Optional(Type.Array(Uuid, { maxItems: 10, description: 'uploaded files: papers with provide_supplement, the signed result (PDF) with decide' })),
    assigneeId: Type.Optional(Type.String({ format: 'uuid', description: 'with start_processing, forward or send_back: who works the next step' })),
    deliveryMethod: Type.Optional(Type.Union([Type.Literal('counter'), Type.Literal('online'), Type.Literal('postal')], { description: 'with deliver_result: at the counter, online (an electronic result is attached) or by public post; by default the way the applicant asked for on the dossier (form.delivery), else at the counter' })),
    resultNumber: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: 'with decide, for a paper result: its number and notation (số, ký hiệu), e.g. 15/QĐ-STP; required unless the signed result PDF is attached' })),
    resultIssuedOn: Type.Optional(Type.String({ format: 'date', description: 'with decide, for a paper result: the date it was issued (YYYY-MM-DD, not after today)' })),
    feeOverrideReason: Type.Optional(Type.String({ maxLength: 2000, description: "with request_fee: why the amount differs from the procedure's fee table (required then)" })),
    receiptNumber: Type.Optional(Type.String({ minLength: 1, maxLength: 50, description: 'with pay_fee (one-stop officers): the number of the receipt given for the fee paid at the counter (số biên lai)' })),
  },
  { additionalProperties: false },
);

const ValueOriginView = Type.Object({
  origin: Type.Union([Type.Literal('typed'), Type.Literal('account'), Type.Literal('previous_dossier')], { description: 'typed, or filled in from the account or an earlier dossier and left unchanged' }),
  sourceDossierCode: Type.Union([Type.String(), Type.Null()]),
});

const Name = Type.Union([Type.Object({ commonName: Type.Union([Type.String(), Type.Null()]), organisation: Type.Union([Type.String(), Type.Null()]) }), Type.Null()]);

/** What a PDF's signatures were found to be when it was uploaded (verified, not just detected). */
export const SignatureView = Type.Object(
  {
    status: Type.Union([Type.Literal('valid'), Type.Literal('invalid'), Type.Literal('unsigned'), Type.Literal('unchecked')], {
      description: 'valid: every signature verifies over its byte range and nothing was added after the last; invalid: changed after signing or not matching the signer; unchecked: kept before verification existed',
    }),
    trusted: Type.Boolean({ description: "every signer's certificate chains to the configured trust list (a valid signature may be untrusted)" }),
    signatures: Type.Array(
      Type.Object({
        status: Type.Union([Type.Literal('valid'), Type.Literal('invalid')]),
        problem: Type.Union([Type.String(), Type.Null()], { description: 'document_changed, signature_mismatch, modified_after_signing or malformed' }),
        signer: Name,
        issuer: Name,
        signedAt: Type.Union([Type.String(), Type.Null()], { description: 'the signing time the signer claims' }),
        trusted: Type.Boolean(),
      }),
    ),
  },
  { description: 'the PDF signature verdict' },
);
export type SignatureView = Static<typeof SignatureView>;

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
    email: Type.Union([Type.String(), Type.Null()]),
    request: Type.Union([Type.String(), Type.Null()]),
    delivery: Type.Union([Type.Object({ method: Type.String(), address: Type.Union([Type.String(), Type.Null()]) }), Type.Null()], { description: 'how the applicant asked for the result' }),
    contactOrigins: Type.Record(Type.String(), ValueOriginView, { description: 'where the contact address, phone and e-mail came from, when not typed' }),
    answers: Type.Array(
      Type.Object({
        key: Type.String(),
        label: Type.String(),
        group: Type.Union([Type.String(), Type.Null()]),
        value: Type.String({ description: 'as kept: dates YYYY-MM-DD, a ticked box "Có", an address as one line' }),
        kind: Type.Union([Type.String(), Type.Null()], { description: 'the field kind, null for an answer to a removed field' }),
        ...ValueOriginView.properties,
      }),
    ),
  }),
  resultDelivery: Type.Union([Type.Object({ method: Type.String(), postalTracking: Type.Union([Type.String(), Type.Null()]) }), Type.Null()]),
  issuesElectronicResult: Type.Boolean({ description: "the procedure version issues an electronic result: decide must attach the signed PDF" }),
  result: Type.Union(
    [
      Type.Object({
        kind: Type.Union([Type.Literal('electronic'), Type.Literal('paper')], { description: 'electronic: the signed PDF among the papers (kind result); paper: recorded by number and date' }),
        number: Type.Union([Type.String(), Type.Null()]),
        issuedOn: Type.Union([Type.String(), Type.Null()], { description: 'YYYY-MM-DD' }),
      }),
      Type.Null(),
    ],
    { description: 'the result the decision issued (null before the decision, and for dossiers decided before results were recorded)' },
  ),
  rowVersion: Type.Integer(),
  availableActions: Type.Array(Type.String()),
  rating: Type.Union([Type.Object({ value: Type.Integer(), label: Type.String(), comment: Type.Union([Type.String(), Type.Null()]) }), Type.Null()]),
  canRate: Type.Boolean(),
  canExtend: Type.Boolean(),
  feeDue: Type.Union([Type.Object({ amountVnd: Type.Integer() }), Type.Null()]),
  withdrawal: Type.Union(
    [
      Type.Object({
        feePaid: Type.Boolean({ description: 'a fee was paid on this dossier' }),
        feeRule: Type.Union([Type.String(), Type.Null()], { description: "what happens to fees paid, from the dossier's pinned rules (null: its rules say nothing)" }),
        feeRuleBasis: Type.Union([Type.String(), Type.Null()]),
      }),
      Type.Null(),
    ],
    { description: 'what withdrawing means for this dossier, when the caller may withdraw it (the reason goes in note)' },
  ),
  feeTable: Type.Object(
    { amountsVnd: Type.Array(Type.Integer()), free: Type.Boolean(), text: Type.String({ description: 'as published in the procedure catalogue' }) },
    { description: "the procedure version's fee table: request_fee without amountVnd asks for its only amount; another amount needs feeOverrideReason" },
  ),
  payments: Type.Array(
    Type.Object({
      amountVnd: Type.Integer(),
      status: Type.Union([Type.Literal('pending'), Type.Literal('paid'), Type.Literal('cancelled')]),
      amountSource: Type.Union([Type.Literal('fee_table'), Type.Literal('officer'), Type.Literal('override')]),
      overrideReason: Type.Union([Type.String(), Type.Null()]),
      askedAt: Type.String(),
      method: Type.Union([Type.Literal('online'), Type.Literal('counter'), Type.Null()], { description: 'online: settled by the gateway’s verified callback; counter: recorded by an officer with the receipt' }),
      paidAt: Type.Union([Type.String(), Type.Null()]),
      receiptNumber: Type.Union([Type.String(), Type.Null()]),
      recordedBy: Type.Union([Type.String(), Type.Null()], { description: 'the officer who took a counter payment' }),
      providerRef: Type.Union([Type.String(), Type.Null()], { description: 'the gateway’s transaction reference' }),
    }),
    { description: 'fees asked for and how each was settled (officers see every field; the applicant too, for their own dossier)' },
  ),
  extension: Type.Union([Type.Object({ at: Type.String(), reason: Type.String(), previousDueAt: Type.String(), newDueAt: Type.String() }), Type.Null()]),
  supplements: Type.Array(
    Type.Object({
      requestedAt: Type.String(),
      requestedBy: Type.String(),
      request: Type.Union([Type.String(), Type.Null()], { description: 'what was asked for (Mẫu 02)' }),
      provided: Type.Union([
        Type.Object({
          at: Type.String(),
          by: Type.String(),
          note: Type.Union([Type.String(), Type.Null()], { description: "the applicant's (or counter's) note" }),
          papers: Type.Array(
            Type.Object({
              paperId: Type.Union([Type.String(), Type.Null()]),
              title: Type.String(),
              requirementSeq: Type.Union([Type.Integer(), Type.Null()]),
              change: Type.Union([Type.Literal('replaced'), Type.Literal('added')], { description: 'replaced: the procedure asked for this paper and one had been given before' }),
            }),
          ),
        }),
        Type.Null(),
      ]),
    }),
    { description: 'each supplement request and what came back: the papers added or replaced since the request and the note' },
  ),
  papers: Type.Array(
    Type.Object({
      id: Type.String(),
      kind: Type.Union([Type.Literal('submitted'), Type.Literal('supplement'), Type.Literal('result')]),
      title: Type.String(),
      fileName: Type.String(),
      mediaType: Type.String(),
      sizeBytes: Type.Integer(),
      signature: SignatureView,
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
    after: Type.Optional(Type.String({ maxLength: 400, pattern: '^[A-Za-z0-9_-]+$', description: 'the page after the row this cursor names (`nextCursor` of the page before)' })),
    before: Type.Optional(Type.String({ maxLength: 400, pattern: '^[A-Za-z0-9_-]+$', description: 'the page before the row this cursor names (`previousCursor`)' })),
    from: Type.Optional(Type.String({ format: 'date', description: "with view=all (officers): submitted on or after this day; default a year before today" })),
    to: Type.Optional(Type.String({ format: 'date', description: 'with view=all (officers): submitted on or before this day; default today' })),
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
export const QueueResult = Type.Object({
  items: Type.Array(QueueItem),
  total: Type.Union([Type.Integer(), Type.Null()], { description: 'matches, counted up to 1,000; null for a search by code, name or ID (not counted: page through it)' }),
  totalCapped: Type.Boolean({ description: 'there are more than `total` matches: narrow the search' }),
  nextCursor: Type.Union([Type.String(), Type.Null()], { description: 'send as `after` for the next page; null on the last' }),
  previousCursor: Type.Union([Type.String(), Type.Null()], { description: 'send as `before` for the page before; null on the first' }),
});

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

/** Said next to the rating when none of its three levels was chosen. */
export const RATING_MISSING_VI = 'Vui lòng chọn một mức đánh giá.';

export const RatingBody = Type.Object(
  {
    rating: Type.Union([Type.Literal(1), Type.Literal(2), Type.Literal(3)], { description: '1 Rất hài lòng, 2 Hài lòng, 3 Chưa hài lòng', messageVi: RATING_MISSING_VI, messageEn: 'Choose a rating: 1, 2 or 3.' }),
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
  signature: SignatureView,
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

export const PrefillView = Type.Object({
  versionNo: Type.Integer({ description: 'the version in force, whose e-form these answers are for' }),
  fields: Type.Record(Type.String(), Type.Object({ value: Type.Union([Type.String(), Type.Boolean(), AddressInput]), ...ValueOriginView.properties })),
  contact: Type.Record(Type.String(), Type.Object({ value: Type.String(), ...ValueOriginView.properties })),
});
