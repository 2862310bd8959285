import { useCaseContext } from '../../platform/use-case.ts';
import './permissions.ts';
import { randomUUID } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { Value } from 'typebox/value';
import { type CurrentUser, hasPermissionAnywhere } from '../../platform/auth/permissions.ts';
import type { CalendarStore } from '../../platform/calendar/calendar-store.ts';
import { type Clock, systemClock } from '../../platform/time.ts';
import { formList, formFields as postedFields, handleFormPost } from '../../web/form-post.ts';
import type { Config } from '../../platform/config.ts';
import type { Db } from '../../platform/db/database.ts';
import { AppError, type FieldError, fieldError } from '../../platform/errors.ts';
import { expectedVersion, setEtag } from '../../platform/http/etag.ts';
import { actorOf, requirePermission, requireUser } from '../../platform/http/request-context.ts';
import { pageContext, sendPage } from '../../web/pages.tsx';
import { pageStart } from '../../web/pagination.tsx';
import type { App } from '../../platform/http/server.ts';
import { withIsoDates } from '../../platform/time.ts';
import { schemaFieldErrors } from '../../platform/http/validation.ts';
import { errorsByField } from '../../web/form.tsx';
import { searchTokens } from '../../platform/text/vietnamese.ts';
import { type Answer, answerText, decidingUnitsOf, type FormField, formFieldsOf, paperRequirementsOf, searchProcedures } from '../procedures/index.ts';
import { checkApplication, procedureInForce } from './create-dossier.ts';
import { answerDateNames, answerFieldNames, answersOf, autofillMarks, prefilledForm } from './answer-form.ts';
import { type Prefilled, prefillFor } from './prefill.ts';
import { addressChoices } from '../directory/index.ts';
import { CounterReceiptPage, QueuePage } from './pages/office-pages.tsx';
import { DossierPage, LookupPage, MyDossiersPage, SubmissionPage } from './pages/portal-pages.tsx';
import { WithdrawalPage } from './pages/withdrawal-page.tsx';
import { allViewPeriod, getDossierView, listDossiers, lookupDossier, periodOrderError } from './read-dossiers.ts';
import { receiveAtCounter } from './receive-dossier.ts';
import { statisticsRoutes } from './routes-statistics.tsx';
import type { ExportRunner } from '../../platform/exports/index.ts';
import { paperRoutes } from './routes-papers.tsx';
import type { FileStore } from '../../platform/files/file-store.ts';
import { storeUploads } from '../../platform/files/store-upload.ts';
import { uploadedFiles } from '../../platform/http/multipart.ts';
import { postalServiceAt } from '../../platform/postal/postal-service.ts';
import { AssignmentBody, ActionBody, ActionParams, CounterReceipt, DossierView, ExtensionBody, LookupQuery, LookupView, OnlineSubmission, type PaperInput, PrefillView, QueueQuery, QueueResult, RATING_MISSING_VI, RatingBody } from './schema.ts';
import { rateDossier } from './rate-dossier.ts';
import { formLinks, formRoutes } from './routes-forms.tsx';
import { extendDeadline } from './extend-deadline.ts';
import type { DossierAction } from './status.ts';
import { submitOnline } from './submit-dossier.ts';
import { assigneeChoices, assignDossiers } from './assign-dossiers.ts';
import { describeChoices, papersOf, readPaperForm, tokensOfChoices } from './paper-form.ts';
import { listMyRecords } from './read-papers.ts';
import { actOnDossier } from './act-on-dossier.ts';
import { dossierVisibleTo } from './access.ts';
import { type Area, userIn } from './area.ts';
import { handlePaymentCallback, startOnlinePayment } from './payments.ts';

const IdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });

/**
 * The originals and copies typed at the counter for each paper (`received_<seq>_originals`, `…_copies`), as the API's
 * `receivedPapers`; a schema error about the n-th count is said next to the field it came from.
 */
function counterCounts(requirements: readonly { seq: number }[]) {
  const fields = requirements.flatMap((r) => [`received_${r.seq}_originals`, `received_${r.seq}_copies`]);
  const of = (form: Readonly<Record<string, string>>) => {
    const typed = requirements.filter((r) => form[`received_${r.seq}_originals`] !== undefined || form[`received_${r.seq}_copies`] !== undefined);
    const counts = typed.map((r) => ({ requirement: r.seq, originals: form[`received_${r.seq}_originals`] ?? '0', copies: form[`received_${r.seq}_copies`] ?? '0' }));
    const fieldOf = (e: FieldError): FieldError => {
      const m = /^receivedPapers\.(\d+)\.(originals|copies)$/.exec(e.field);
      const seq = m ? typed[Number(m[1])]?.seq : undefined;
      return m && seq !== undefined ? { ...e, field: `received_${seq}_${m[2]}`, messageVi: 'Nhập số bản từ 0 đến 20.' } : e;
    };
    return { counts, fieldOf };
  };
  return { fields, of };
}

// What the look-up shows anyone: the dossier's own id and its applicant's account stay inside.
const publicLookup = ({ id: _id, applicantUserId: _owner, ...shown }: Awaited<ReturnType<typeof lookupDossier>>): LookupView => shown;
const QUEUE_PAGE_SIZE = 50;
const CodeParams = Type.Object({ code: Type.String({ pattern: '^[0-9]\\.[0-9]{6}$' }) });
// The common part of an online application and of a counter receipt, as their pages post it.
const SUBMISSION_FIELDS = ['decidingOrgUnitId', 'address', 'phone', 'email', 'request', 'resultDelivery', 'deliveryAddress', 'idempotencyKey'];
const RECEIPT_FIELDS = ['procedureCode', 'decidingOrgUnitId', 'channel', 'applicantName', 'applicantPersonalId', 'address', 'phone', 'email', 'request', 'sets', 'resultDelivery', 'deliveryAddress'];

/** An online application as the API takes it, from the page's fields (the empty ones left out). */
function submissionInput(procedureCode: string, form: Readonly<Record<string, string>>, fields: readonly FormField[], papers: readonly PaperInput[]) {
  const { decidingOrgUnitId, address, phone, email, request, resultDelivery, deliveryAddress } = form;
  const common = { procedureCode, decidingOrgUnitId, address, phone, email, request, resultDelivery, deliveryAddress, papers: [...papers], fields: answersOf(fields, form) };
  return Object.fromEntries(Object.entries(common).filter(([, v]) => v !== undefined)) as OnlineSubmission;
}
const NATIONAL_CODE = /^[0-9]\.[0-9]{6}$/;
// Procedures the counter picks from when it types words of a name.
const PROCEDURE_MATCHES = 20;

export function dossierRoutes(deps: { db: Db; calendar: CalendarStore; config: Config; files: FileStore; clock?: Clock; exports: ExportRunner }) {
  const { db, calendar } = deps;
  const clock = deps.clock ?? systemClock;
  // The calendar and the instant an action runs on.
  const actionContext = () => useCaseContext({ calendar, clock });
  const services = { postal: deps.config.postalUrl && deps.config.postalSecret ? postalServiceAt(deps.config.postalUrl, deps.config.postalSecret) : undefined };
  const deliveryMethodOf = (v: string | undefined) => (v === 'counter' || v === 'online' || v === 'postal' ? v : undefined);
  return (app: App) => {
    statisticsRoutes({ db, clock, exports: deps.exports })(app);
    paperRoutes(deps)(app);
    formRoutes(deps)(app);
    // ---- public look-up by code
    // Codes run in sequence per agency and day: a limit per address keeps anyone from walking through them.
    const lookupLimit = { rateLimit: { max: deps.config.lookupsPerMinute, timeWindow: '1 minute', keyGenerator: (request: FastifyRequest) => request.ip } };
    app.get('/tra-cuu-ho-so', { config: lookupLimit, schema: { hide: true } }, async (request, reply) => {
      const { code = '' } = postedFields(request.query, ['code']);
      const ctx = pageContext(request);
      if (code === '') return sendPage(reply, <LookupPage ctx={ctx} code="" result={null} errors={{}} searched={false} />);
      const found = await lookupDossier(db, code).catch((e) => (e instanceof AppError && e.code === 'not_found' ? null : Promise.reject(e)));
      const own = found && ctx.user && found.applicantUserId === ctx.user.id ? `/dich-vu-cong/ho-so/${found.id}` : null;
      return sendPage(reply, <LookupPage ctx={ctx} code={code} result={found ? { ...publicLookup(found), ownLink: own } : null} errors={{}} searched />, found ? 200 : 404);
    });
    app.get(
      '/api/v1/dossier-lookup',
      { config: lookupLimit, schema: { security: [], tags: ['dossiers'], summary: 'A dossier by its code (public): procedure, receiving agency, appointment date and the changes of status so far; nothing personal', querystring: LookupQuery, response: { 200: LookupView } } },
      async (request) => publicLookup(await lookupDossier(db, request.query.code)),
    );

    // ---- citizen portal
    // The lists of each address field of a form: the communes of the province chosen (or of the commune given).
    const placesFor = async (fields: readonly FormField[], form: Readonly<Record<string, string>>) =>
      Object.fromEntries(await Promise.all(fields.filter((f) => f.kind === 'address').map(async (f) => [f.key, await addressChoices(db, { province: form[`fields.${f.key}.province`], commune: form[`fields.${f.key}.commune`] })] as const)));
    type SubmissionState = { form: Record<string, string>; tokens?: Record<number, string[]>; errors: readonly FieldError[]; review: boolean; answers?: Readonly<Record<string, Answer>> };
    const submissionPage = async (request: FastifyRequest, reply: FastifyReply, state: SubmissionState) => {
      const code = (request.params as { code: string }).code;
      const procedure = await procedureInForce(db, code);
      if (!procedure) throw new AppError('not_found');
      const user = requireUser(request);
      const units = await decidingUnitsOf(db, procedure.procedureId);
      const { requirements } = await paperRequirementsOf(db, procedure.versionId);
      const formFields = await formFieldsOf(db, procedure.versionId);
      const choices = await describeChoices(db, user, state.tokens ?? {});
      const records = (await listMyRecords(db, user)).map((r) => ({ id: r.id, title: r.label }));
      const form = { ...state.form, ...tokensOfChoices(choices) };
      const prefill = await prefillFor(db, user, formFields);
      const answerTexts = Object.fromEntries(Object.entries(state.answers ?? {}).map(([k, a]) => [k, answerText(a)]));
      const page = (
        <SubmissionPage
          ctx={pageContext(request)}
          procedure={{ code, name: procedure.name }}
          units={units}
          form={form}
          errors={errorsByField(state.errors)}
          review={state.review}
          requirements={requirements}
          choices={choices}
          records={records}
          formFields={formFields}
          places={await placesFor(formFields, form)}
          marks={autofillMarks(formFields, form, prefill)}
          answerTexts={answerTexts}
        />
      );
      return sendPage(reply, page, state.errors.length > 0 ? 400 : 200);
    };
    app.get('/dich-vu-cong/nop/:code', { schema: { hide: true, params: CodeParams } }, async (request, reply) => {
      const user = requireUser(request);
      const procedure = await procedureInForce(db, request.params.code);
      if (!procedure) throw new AppError('not_found');
      // The form starts with what the account and the citizen's earlier dossiers already say.
      const fields = await formFieldsOf(db, procedure.versionId);
      const prefilled = prefilledForm(fields, await prefillFor(db, user, fields));
      return submissionPage(request, reply, { form: { ...prefilled, idempotencyKey: randomUUID() }, errors: [], review: false });
    });
    app.post('/dich-vu-cong/nop/:code', { schema: { hide: true, params: CodeParams } }, async (request, reply) => {
      const user = requireUser(request);
      const code = request.params.code;
      const procedure = await procedureInForce(db, code);
      if (!procedure) throw new AppError('not_found');
      const ownFields = await formFieldsOf(db, procedure.versionId);
      const body = (request.body ?? {}) as Record<string, unknown>;
      const steps = ([] as unknown[]).concat(body.step ?? []);
      const step = body.refresh || steps.includes('edit') ? 'edit' : steps.includes('submit') ? 'submit' : 'review';
      // Files are kept as soon as they arrive, so a page shown again with errors does not ask for them twice.
      const { requirements } = await paperRequirementsOf(db, procedure.versionId);
      const { tokens, errors: uploadErrors } = await readPaperForm(db, deps.files, actorOf(request), user, requirements, request.body);
      const typedKey = postedFields(request.body, ['idempotencyKey']).idempotencyKey;
      const idempotencyKey = typedKey ?? randomUUID();
      return handleFormPost(request, reply, {
        fields: [...SUBMISSION_FIELDS, ...answerFieldNames(ownFields)],
        dates: answerDateNames(ownFields),
        toInput: (form) => submissionInput(code, form, ownFields, papersOf(tokens)),
        run: async (input, form) => {
          const state = { form: { ...form, idempotencyKey }, tokens };
          if (step === 'edit') return submissionPage(request, reply, { ...state, errors: [], review: false });
          const errors = [...schemaFieldErrors(OnlineSubmission, input), ...uploadErrors];
          const checked = await checkApplication(db, user, procedure.versionId, { fields: input.fields, papers: input.papers }, { enforceRequired: true }).catch((e) => {
            if (!(e instanceof AppError) || e.code !== 'validation') throw e;
            errors.push(...e.fieldErrors);
            return null;
          });
          if (errors.length > 0 || !checked) throw AppError.validation(errors);
          if (step !== 'submit') return submissionPage(request, reply, { ...state, errors: [], review: true, answers: checked.answers });
          const { dossier } = await submitOnline(db, await actionContext(), user, actorOf(request), input as OnlineSubmission, idempotencyKey);
          return `/dich-vu-cong/ho-so/${dossier.id}?da-nop=1`;
        },
        shown: ['validation'],
        render: (state) => submissionPage(request, reply, { form: { ...state.form, idempotencyKey }, tokens, errors: state.fieldErrors, review: false }),
      });
    });
    app.get(
      '/api/v1/dossiers/prefill/:code',
      {
        schema: {
          tags: ['dossiers'],
          summary: "What the signed-in citizen's e-form for a procedure starts with: each field known from their account or an earlier dossier, with its source",
          description: 'Answers sent unchanged in POST /api/v1/dossiers are recorded as filled in from that source (the plan target dossiers.autofillShare); changed ones as typed.',
          params: CodeParams,
          response: { 200: PrefillView },
        },
      },
      async (request) => {
        const user = requireUser(request);
        const procedure = await procedureInForce(db, request.params.code);
        if (!procedure) throw new AppError('not_found');
        const prefill = await prefillFor(db, user, await formFieldsOf(db, procedure.versionId));
        const shown = (p: Prefilled) => ({ value: p.value, origin: p.origin, sourceDossierCode: p.sourceCode });
        return {
          versionNo: procedure.versionNo,
          fields: Object.fromEntries(Object.entries(prefill.answers).map(([k, p]) => [k, shown(p)])),
          contact: Object.fromEntries(Object.entries(prefill.contact).map(([k, p]) => [k, { ...shown(p), value: String(p.value) }])),
        };
      },
    );
    app.get('/dich-vu-cong/ho-so', { schema: { hide: true } }, async (request, reply) => {
      const user = requireUser(request);
      if (user.kind !== 'citizen') return reply.redirect('/mot-cua', 303);
      const result = await listDossiers(db, await actionContext(), user, { view: 'all', limit: 100 });
      return sendPage(reply, <MyDossiersPage ctx={pageContext(request)} items={result.items} />);
    });

    // ---- dossier pages (applicant and officers share the detail and the action form)
    // Back from the gateway: the signed callback, not the browser's return, tells whether the fee was paid.
    const paymentNotice = (d: { feeDue: unknown }) =>
      d.feeDue ? 'Chưa nhận được xác nhận thanh toán từ cổng thanh toán. Nếu bạn đã thanh toán, vui lòng tải lại trang sau ít phút.' : 'Đã nhận thanh toán phí, lệ phí. Hồ sơ tiếp tục được giải quyết.';
    // The papers a supplement may answer: those the dossier's procedure version asks for.
    const supplementRequirements = async (user: CurrentUser, id: string) => (await paperRequirementsOf(db, (await dossierVisibleTo(db, user, id)).dossier.procedure_version_id)).requirements;
    const detailPage = async (request: FastifyRequest, reply: FastifyReply, base: Area, extra: { message?: string; status?: number; form?: Record<string, string> } = {}) => {
      const user = userIn(request, base);
      const id = (request.params as { id: string }).id;
      const d = await getDossierView(db, user, id);
      const q = request.query as Record<string, unknown>;
      const notice = q['da-nop'] === '1' ? `Đã nộp hồ sơ. Mã hồ sơ của bạn là ${d.code}.` : q['da-tiep-nhan'] === '1' ? `Đã tiếp nhận hồ sơ ${d.code}.` : q['da-thanh-toan'] === '1' ? paymentNotice(d) : q['da-rut'] === '1' ? `Đã rút hồ sơ ${d.code ?? ''}. Thông báo dừng giải quyết hồ sơ có ở bên dưới.` : undefined;
      const back = base === 'mot-cua' ? { href: '/mot-cua', label: 'Xử lý hồ sơ' } : { href: '/dich-vu-cong/ho-so', label: 'Hồ sơ của tôi' };
      const actionBase = `/${base}/ho-so/${id}`;
      const [forms, requirements] = await Promise.all([formLinks(db, d, actionBase), d.availableActions.includes('provide_supplement') ? supplementRequirements(user, id) : []]);
      const page = (
        <DossierPage ctx={pageContext(request)} d={d} actionBase={actionBase} forms={forms} back={back} form={extra.form ?? {}} requirements={requirements} {...(notice ? { notice } : {})} {...(extra.message ? { message: extra.message } : {})} />
      );
      return sendPage(reply, page, extra.status ?? 200);
    };
    for (const base of ['dich-vu-cong', 'mot-cua'] as const) {
      app.get(`/${base}/ho-so/:id`, { schema: { hide: true, params: IdParams } }, async (request, reply) => {
        // An official following a portal link works the dossier from the back office, with its actions.
        const user = userIn(request, base);
        const { id } = request.params as { id: string };
        if (base === 'dich-vu-cong' && user.kind === 'official') {
          // Only a dossier they may see: anything else stays a 404, as on every other route.
          await dossierVisibleTo(db, user, id);
          return reply.redirect(`/mot-cua/ho-so/${id}`, 303);
        }
        return detailPage(request, reply, base);
      });
      app.post(`/${base}/ho-so/:id`, { schema: { hide: true, params: IdParams } }, async (request, reply) => {
        const user = userIn(request, base);
        const id = (request.params as { id: string }).id;
        const parsed = Value.Convert(ActionParams, { id, action: postedFields(request.body, ['action']).action ?? '' });
        if (schemaFieldErrors(ActionParams, parsed).length > 0) throw new AppError('bad_request');
        return handleFormPost(request, reply, {
          fields: ['action', 'note', 'rowVersion', 'amountVnd', 'assigneeId', 'deliveryMethod', 'resultNumber', 'resultIssuedOn', 'receiptNumber', 'feeOverrideReason'],
          dates: ['resultIssuedOn'],
          toInput: (f) => f,
          run: async (form) => {
            const amountVnd = form.amountVnd ? Number(form.amountVnd.replace(/[.,\s]/g, '')) : undefined;
            const uploads = uploadedFiles(request.body, 'attachment').map((file) => ({ field: 'fileIds', file }));
            const { stored, errors: uploadErrors } = await storeUploads(db, deps.files, actorOf(request), user.id, uploads);
            if (uploadErrors.length > 0) throw AppError.validation(uploadErrors);
            const fileIds = stored.map((f) => f.file.id);
            // A supplement's papers for the procedure's requirements come as `upload_<seq>`, as on the submission form.
            const listed = form.action === 'provide_supplement' ? await readPaperForm(db, deps.files, actorOf(request), user, await supplementRequirements(user, id), request.body) : null;
            if (listed && listed.errors.length > 0) throw AppError.validation(listed.errors);
            const papers = listed ? papersOf(listed.tokens) : undefined;
            const typedDate = form.resultIssuedOn && !/^\d{4}-\d{2}-\d{2}$/.test(form.resultIssuedOn) ? [fieldError('resultIssuedOn', 'date', 'Ngày ban hành không hợp lệ; nhập theo dạng ngày/tháng/năm, ví dụ 05/03/2026.', 'Not a date.')] : [];
            if (typedDate.length > 0) throw AppError.validation(typedDate);
            await actOnDossier(
              db,
              await actionContext(),
              user,
              actorOf(request),
              id,
              { action: form.action as DossierAction, expectedVersion: Number(form.rowVersion), note: form.note, amountVnd, fileIds, assigneeId: form.assigneeId, deliveryMethod: deliveryMethodOf(form.deliveryMethod), resultNumber: form.resultNumber, resultIssuedOn: form.resultIssuedOn, receiptNumber: form.receiptNumber, feeOverrideReason: form.feeOverrideReason, papers },
              services,
            );
            return `/${base}/ho-so/${id}`;
          },
          shown: ['conflict', 'forbidden', 'validation', 'upstream_unavailable'],
          render: (state) => {
            // The action form is one box: the first field's message is said above it, and next to the field.
            const fields = ['note', 'amountVnd', 'feeOverrideReason', 'fileIds', 'resultNumber', 'resultIssuedOn', 'receiptNumber', 'assigneeId', 'deliveryMethod'] as const;
            const message = [...fields.map((k) => state.errors[k]), ...Object.entries(state.errors).filter(([k]) => k.startsWith('papers.')).map(([, m]) => m)].find((m) => m !== undefined) ?? state.message;
            const keys = { note: 'noteError', amountVnd: 'amountError', fileIds: 'fileIdsError', resultNumber: 'resultNumberError', resultIssuedOn: 'resultIssuedOnError', receiptNumber: 'receiptNumberError', feeOverrideReason: 'feeOverrideReasonError', assigneeId: 'assigneeIdError' } as const;
            const errorsShown = {
              ...Object.fromEntries(Object.entries(keys).flatMap(([field, key]) => (state.errors[field] ? [[key, state.errors[field]]] : []))),
              ...Object.fromEntries(Object.entries(state.errors).filter(([k]) => k.startsWith('papers.'))),
            };
            return detailPage(request, reply, base, { message, status: state.status, form: { ...state.form, ...errorsShown } });
          },
        });
      });
    }

    // ---- withdrawal: the applicant confirms, with a reason, after reading what it means (and for a fee paid)
    const withdrawalPage = async (request: FastifyRequest, reply: FastifyReply, state: { form: Record<string, string>; errors: Record<string, string>; message?: string; status: number }) => {
      const user = userIn(request, 'dich-vu-cong');
      const id = (request.params as { id: string }).id;
      const d = await getDossierView(db, user, id);
      if (!d.withdrawal || user.kind !== 'citizen') return reply.redirect(`/dich-vu-cong/ho-so/${id}`, 303);
      return sendPage(reply, <WithdrawalPage ctx={pageContext(request)} d={d} actionBase={`/dich-vu-cong/ho-so/${id}`} form={state.form} errors={state.errors} message={state.message} />, state.status);
    };
    app.get('/dich-vu-cong/ho-so/:id/rut-ho-so', { schema: { hide: true, params: IdParams } }, async (request, reply) => withdrawalPage(request, reply, { form: {}, errors: {}, status: 200 }));
    app.post('/dich-vu-cong/ho-so/:id/rut-ho-so', { schema: { hide: true, params: IdParams } }, async (request, reply) => {
      const user = userIn(request, 'dich-vu-cong');
      const id = (request.params as { id: string }).id;
      return handleFormPost(request, reply, {
        fields: ['reason', 'rowVersion'],
        toInput: (f) => f,
        run: async (form) => {
          await actOnDossier(db, await actionContext(), user, actorOf(request), id, { action: 'withdraw', expectedVersion: Number(form.rowVersion), note: form.reason }, services);
          return `/dich-vu-cong/ho-so/${id}?da-rut=1`;
        },
        render: (state) => withdrawalPage(request, reply, { form: state.form, errors: state.errors.note ? { reason: state.errors.note } : {}, ...(state.errors.note ? {} : { message: state.message }), status: state.status }),
      });
    });

    app.post('/mot-cua/ho-so/:id/gia-han', { schema: { hide: true, params: IdParams } }, async (request, reply) => {
      const user = userIn(request, 'mot-cua');
      const id = (request.params as { id: string }).id;
      return handleFormPost(request, reply, {
        fields: ['newDueDate', 'reason', 'rowVersion'],
        dates: ['newDueDate'],
        schema: ExtensionBody,
        toInput: (f) => ({ newDueDate: f.newDueDate ?? '', reason: f.reason ?? '' }),
        run: async (input, form) => {
          await extendDeadline(db, await actionContext(), user, actorOf(request), id, { ...input, expectedVersion: Number(form.rowVersion) });
          return `/mot-cua/ho-so/${id}`;
        },
        shown: ['validation', 'conflict'],
        render: (state) => {
          const fieldMessages = Object.fromEntries(Object.entries(state.errors).map(([field, m]) => [`${field}Error`, m]));
          return detailPage(request, reply, 'mot-cua', { status: state.status, form: { ...state.form, ...fieldMessages }, ...(state.code === 'conflict' ? { message: state.message } : {}) });
        },
      });
    });
    app.post(
      '/api/v1/dossiers/:id/extension',
      { schema: { tags: ['dossiers'], summary: 'Apologise and set a new due date, once (Mẫu 04); requires If-Match', params: IdParams, body: ExtensionBody, response: { 200: DossierView } } },
      async (request, reply) => {
        const user = requireUser(request);
        await extendDeadline(db, await actionContext(), user, actorOf(request), request.params.id, { ...request.body, expectedVersion: expectedVersion(request) });
        const view = await getDossierView(db, user, request.params.id);
        setEtag(reply, view.rowVersion);
        return view;
      },
    );

    const gateway = () => {
      if (!deps.config.paymentUrl || !deps.config.paymentSecret) throw new AppError('upstream_unavailable', { messageVi: 'Chưa kết nối cổng thanh toán trực tuyến; vui lòng nộp phí tại bộ phận một cửa.', detail: 'payment gateway not configured' });
      return { url: deps.config.paymentUrl, secret: deps.config.paymentSecret, publicUrl: deps.config.publicUrl };
    };
    app.post('/dich-vu-cong/ho-so/:id/thanh-toan', { schema: { hide: true, params: IdParams } }, async (request, reply) => {
      const user = requireUser(request);
      const { id } = request.params as { id: string };
      // A button with nothing to type: the gateway's page next, or the dossier again saying why not (nothing to pay).
      return handleFormPost(request, reply, {
        fields: [],
        toInput: () => id,
        run: (dossierId) => startOnlinePayment(db, user, dossierId, gateway),
        shown: ['conflict'],
        render: (state) => detailPage(request, reply, 'dich-vu-cong', { message: state.message, status: state.status }),
      });
    });
    // Called by the gateway, not a browser: authenticated by its signature, so no session and no CSRF token.
    app.register(async (scoped) => {
      scoped.removeAllContentTypeParsers();
      scoped.addContentTypeParser('*', { parseAs: 'string', bodyLimit: 16 * 1024 }, (_req, body, done) => done(null, body));
      scoped.post('/api/v1/payments/callback', { config: { csrf: false }, schema: { security: [], tags: ['payments'], summary: 'Payment gateway callback (signed with x-payment-signature; each nonce once)' } }, async (request, reply) => {
        const signature = request.headers['x-payment-signature'];
        const outcome = await handlePaymentCallback(db, await actionContext(), gateway().secret, String(request.body ?? ''), typeof signature === 'string' ? signature : undefined);
        return reply.send({ accepted: true, outcome });
      });
    });

    app.post('/dich-vu-cong/ho-so/:id/danh-gia', { schema: { hide: true, params: IdParams } }, async (request, reply) => {
      const user = requireUser(request);
      const { id } = request.params as { id: string };
      return handleFormPost(request, reply, {
        fields: ['rating', 'comment'],
        schema: RatingBody,
        toInput: (form) => Value.Convert(RatingBody, { ...form }) as RatingBody,
        run: async (input) => {
          await rateDossier(db, { now: clock.now() }, user, actorOf(request), id, input);
          return `/dich-vu-cong/ho-so/${id}`;
        },
        shown: ['validation', 'conflict'],
        // No level chosen is said on the rating's fieldset; anything else (a second rating, too long a comment) above
        // the form, which a rated dossier no longer shows.
        render: (state) => {
          const unchosen = schemaFieldErrors(RatingBody, Value.Convert(RatingBody, { ...state.form })).some((e) => e.field === 'rating');
          const other = state.fieldErrors.find((e) => !(unchosen && e.field === 'rating'));
          const message = state.code === 'validation' ? other?.messageVi : state.message;
          return detailPage(request, reply, 'dich-vu-cong', { status: state.status, form: { ...state.form, ...(unchosen ? { ratingError: RATING_MISSING_VI } : {}) }, ...(message ? { message } : {}) });
        },
      });
    });
    app.post('/api/v1/dossiers/:id/rating', { schema: { tags: ['dossiers'], summary: 'The applicant rates a returned dossier, once', params: IdParams, body: RatingBody, response: { 200: DossierView } } }, async (request) => {
      const user = requireUser(request);
      await rateDossier(db, { now: clock.now() }, user, actorOf(request), request.params.id, request.body);
      return getDossierView(db, user, request.params.id);
    });

    // ---- officers: queue and counter receipt
    const queuePage = async (request: FastifyRequest, reply: FastifyReply, extra: { errors?: readonly FieldError[]; notice?: string; view?: string } = {}) => {
      const user = requirePermission(request, 'dossiers.read');
      const raw = postedFields(request.query, ['view', 'q', 'after', 'before', 'from', 'to']);
      // After a bulk assignment the page shows the queue it came from, from its start.
      const { after: _a, before: _b, ...firstPage } = raw;
      const query = Value.Convert(QueueQuery, withIsoDates(extra.view ? { ...firstPage, view: extra.view } : raw, ['from', 'to'])) as QueueQuery;
      const queryErrors = schemaFieldErrors(QueueQuery, query);
      if (queryErrors.length === 0 && query.from && query.to && query.to < query.from) queryErrors.push(periodOrderError);
      const ctx = await actionContext();
      const empty = { items: [], total: 0, totalCapped: false, period: null, nextCursor: null, previousCursor: null };
      // A stale or altered page link is said on the page, like any other wrong field.
      const listed = async () => {
        try {
          return await listDossiers(db, ctx, user, { ...query, limit: QUEUE_PAGE_SIZE });
        } catch (error) {
          if (!(error instanceof AppError && error.code === 'validation')) throw error;
          queryErrors.push(...error.fieldErrors);
          return empty;
        }
      };
      const result = queryErrors.length === 0 ? await listed() : empty;
      const errors = [...queryErrors, ...(extra.errors ?? [])];
      // The period fields show what was typed when it was wrong, else the period the list covers.
      const period = queryErrors.length === 0 ? allViewPeriod(query, ctx.now) : { from: raw.from ?? '', to: raw.to ?? '' };
      const page = (
        <QueuePage
          ctx={pageContext(request)}
          view={query.view ?? 'todo'}
          q={raw.q ?? ''}
          period={period}
          start={extra.view ? 0 : pageStart(request.query)}
          limit={QUEUE_PAGE_SIZE}
          result={result}
          canReceive={hasPermissionAnywhere(user, 'dossiers.receive')}
          errors={errorsByField(errors)}
          assignees={await assigneeChoices(db, user)}
          notice={extra.notice}
        />
      );
      return sendPage(reply, page, errors.length > 0 ? 400 : 200);
    };
    app.get('/mot-cua', { schema: { hide: true } }, async (request, reply) => queuePage(request, reply));
    app.post('/mot-cua/phan-cong', { schema: { hide: true } }, async (request, reply) => {
      const user = requirePermission(request, 'dossiers.read');
      const view = postedFields(request.body, ['view']).view ?? 'todo';
      // The page lists many dossiers, each with its box: what went wrong is said once, above the list.
      const asOne = (errors: readonly FieldError[]) => [{ field: 'assignment', code: 'invalid', messageVi: errors.map((e) => (e.field === 'dossierIds' ? 'Chọn ít nhất một hồ sơ.' : e.messageVi)).join(' '), messageEn: 'Assignment refused.' }];
      return handleFormPost(request, reply, {
        fields: ['assigneeId'],
        schema: AssignmentBody,
        toInput: (form) => ({ dossierIds: formList(request.body, 'dossierIds'), assigneeId: form.assigneeId ?? '' }),
        run: async (input) => {
          const { assigned } = await assignDossiers(db, await actionContext(), user, actorOf(request), input);
          return queuePage(request, reply, { notice: `Đã phân công ${assigned} hồ sơ.`, view });
        },
        shown: ['validation'],
        render: (state) => queuePage(request, reply, { errors: asOne(state.fieldErrors), view }),
      });
    });
    app.post('/api/v1/dossiers/assignments', { schema: { tags: ['dossiers'], summary: 'Assign dossiers in processing to an official, all or none (leaders; specialists may take their own)', body: AssignmentBody, response: { 200: Type.Object({ assigned: Type.Integer() }) } } }, async (request) =>
      assignDossiers(db, await actionContext(), requirePermission(request, 'dossiers.read'), actorOf(request), request.body),
    );
    const receiptPage = async (request: FastifyRequest, reply: FastifyReply, form: Record<string, string>, errors: readonly FieldError[], tokens: Record<number, string[]> = {}, status = 400) => {
      // The counter types a procedure's code, or words of its name (with or without diacritics) to pick it from a list.
      const code = (form.procedureCode ?? '').trim();
      const byCode = NATIONAL_CODE.test(code);
      const procedure = byCode ? await procedureInForce(db, code) : null;
      // Punctuation alone names nothing: no list of every procedure for it.
      const matches = code === '' || byCode ? null : searchTokens(code).length === 0 ? { items: [], total: 0 } : await searchProcedures(db, { q: code, limit: PROCEDURE_MATCHES }, { decidedSomewhere: true });
      const allErrors = byCode && !procedure ? [...errors, { field: 'procedureCode', code: 'unknown', messageVi: 'Không có thủ tục mã này trong danh mục đang hiệu lực.', messageEn: 'Unknown procedure.' }] : errors;
      const units = procedure ? await decidingUnitsOf(db, procedure.procedureId) : [];
      const requirements = procedure ? (await paperRequirementsOf(db, procedure.versionId)).requirements : [];
      const formFields = procedure ? await formFieldsOf(db, procedure.versionId) : [];
      const choices = await describeChoices(db, requireUser(request), tokens);
      const page = (
        <CounterReceiptPage
          ctx={pageContext(request)}
          procedure={procedure ? { code, name: procedure.name } : null}
          matches={matches ? { total: matches.total, items: matches.items.map((m) => ({ code: m.nationalCode, name: m.name, sector: m.sector })) } : null}
          units={units}
          form={form}
          errors={errorsByField(allErrors)}
          requirements={requirements}
          choices={choices}
          formFields={formFields}
          places={await placesFor(formFields, form)}
        />
      );
      return sendPage(reply, page, allErrors.length > 0 ? status : 200);
    };
    app.get('/mot-cua/tiep-nhan', { schema: { hide: true } }, async (request, reply) => {
      requirePermission(request, 'dossiers.receive');
      return receiptPage(request, reply, postedFields(request.query, ['procedureCode']), []);
    });
    app.post('/mot-cua/tiep-nhan', { schema: { hide: true } }, async (request, reply) => {
      const user = requirePermission(request, 'dossiers.receive');
      const code = postedFields(request.body, ['procedureCode']).procedureCode;
      const procedure = code ? await procedureInForce(db, code) : null;
      const requirements = procedure ? (await paperRequirementsOf(db, procedure.versionId)).requirements : [];
      const formFields = procedure ? await formFieldsOf(db, procedure.versionId) : [];
      // Files are kept as soon as they arrive, so the form shown again with errors does not ask for them twice.
      const { tokens, errors: uploadErrors } = await readPaperForm(db, deps.files, actorOf(request), user, requirements, request.body);
      const counts = counterCounts(requirements);
      const fields = [...RECEIPT_FIELDS, ...counts.fields, ...answerFieldNames(formFields)];
      // The address fields' refresh button shows the form again with the communes of the province chosen.
      if ((request.body as Record<string, unknown> | undefined)?.refresh) return receiptPage(request, reply, postedFields(request.body, fields), [], tokens);
      return handleFormPost(request, reply, {
        fields,
        dates: answerDateNames(formFields),
        toInput: (form) => {
          const base = Object.fromEntries(Object.entries(form).filter(([k]) => !k.startsWith('fields.') && !k.startsWith('received_')));
          const received = counts.of(form);
          const input = Value.Convert(CounterReceipt, { ...base, papers: papersOf(tokens), fields: answersOf(formFields, form), ...(received.counts.length > 0 ? { receivedPapers: received.counts } : {}) });
          const errors = [...schemaFieldErrors(CounterReceipt, input).map(received.fieldOf), ...uploadErrors];
          if (errors.length > 0) throw AppError.validation(errors);
          return input as CounterReceipt;
        },
        run: async (input) => `/mot-cua/ho-so/${(await receiveAtCounter(db, await actionContext(), user, actorOf(request), input)).id}?da-tiep-nhan=1`,
        // A setting the counter's unit lacks (its agency code) is said above the form, which keeps what was typed.
        shown: ['validation', 'setting_missing'],
        render: (state) =>
          receiptPage(
            request,
            reply,
            { ...state.form },
            state.code === 'setting_missing' ? [{ field: 'receivingUnit', code: state.code, messageVi: state.message, messageEn: 'A setting of the receiving unit is missing.' }] : state.fieldErrors,
            tokens,
            state.status,
          ),
      });
    });

    // ---- API
    app.post(
      '/api/v1/dossiers',
      {
        schema: {
          tags: ['dossiers'],
          summary: 'Submit a dossier online (citizens). Send an Idempotency-Key header: a retry with the same key returns the same dossier.',
          headers: Type.Object({ 'idempotency-key': Type.String({ minLength: 8, maxLength: 100 }) }),
          body: OnlineSubmission,
          response: { 200: DossierView, 201: DossierView },
        },
      },
      async (request, reply) => {
        const user = requireUser(request);
        const { dossier, created } = await submitOnline(db, await actionContext(), user, actorOf(request), request.body, request.headers['idempotency-key']);
        setEtag(reply, dossier.row_version);
        return reply.status(created ? 201 : 200).send(await getDossierView(db, user, dossier.id));
      },
    );
    app.post('/api/v1/dossiers/counter', { schema: { tags: ['dossiers'], summary: 'Record a walk-in or postal dossier (one-stop officers)', body: CounterReceipt, response: { 201: DossierView } } }, async (request, reply) => {
      const user = requirePermission(request, 'dossiers.receive');
      const d = await receiveAtCounter(db, await actionContext(), user, actorOf(request), request.body);
      setEtag(reply, d.row_version);
      return reply.status(201).send(await getDossierView(db, user, d.id));
    });
    app.get('/api/v1/dossiers', { schema: { tags: ['dossiers'], summary: 'Officers: the work queue in their subtree; citizens: their own dossiers', querystring: QueueQuery, response: { 200: QueueResult } } }, async (request) =>
      listDossiers(db, await actionContext(), requireUser(request), request.query),
    );
    app.get('/api/v1/dossiers/:id', { schema: { tags: ['dossiers'], summary: 'A dossier with its timeline and the actions the caller may take (ETag = row version)', params: IdParams, response: { 200: DossierView } } }, async (request, reply) => {
      const view = await getDossierView(db, requireUser(request), request.params.id);
      setEtag(reply, view.rowVersion);
      return view;
    });
    app.post(
      '/api/v1/dossiers/:id/actions/:action',
      { schema: { tags: ['dossiers'], summary: 'Take a lifecycle action; requires If-Match with the ETag (a stale version answers 409)', params: ActionParams, body: ActionBody, response: { 200: DossierView } } },
      async (request, reply) => {
        const user = requireUser(request);
        const params = request.params as { id: string; action: DossierAction };
        const b = request.body;
        const input = { action: params.action, expectedVersion: expectedVersion(request), note: b.note, amountVnd: b.amountVnd, fileIds: b.fileIds, assigneeId: b.assigneeId, deliveryMethod: b.deliveryMethod, resultNumber: b.resultNumber, resultIssuedOn: b.resultIssuedOn, receiptNumber: b.receiptNumber, feeOverrideReason: b.feeOverrideReason, papers: b.papers };
        await actOnDossier(db, await actionContext(), user, actorOf(request), params.id, input, services);
        const view = await getDossierView(db, user, params.id);
        setEtag(reply, view.rowVersion);
        return view;
      },
    );
  };
}
