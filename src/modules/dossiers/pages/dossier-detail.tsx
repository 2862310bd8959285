import { formatDateTime, formatIsoDate, formatVnd } from '../../../web/format.ts';
import { DateField, TextField } from '../../../web/form.tsx';
import { SignatureSummary } from './signature-summary.tsx';
import { PaperFields } from './paper-fields.tsx';
import { SupplementList } from './supplement-list.tsx';
import type { PaperRequirement } from '../../procedures/index.ts';
import { FeeSection, feeTableHint } from './fee-section.tsx';
import { CsrfField } from '../../../web/layout.tsx';
import type { PageContext } from '../../../web/page-context.ts';
import type { DossierView } from '../schema.ts';
import { actionLabelsVi, type DossierStatus, statusLabelsVi } from '../status.ts';

const channelVi: Record<number, string> = { 1: 'Trực tiếp', 2: 'Trực tuyến', 3: 'Bưu chính công ích' };
const timelinessVi: Record<string, string> = { early: 'Trước hạn', on_time: 'Đúng hạn', late: 'Quá hạn' };
const when = (iso: string | null) => (iso ? formatDateTime(new Date(iso)) : '—');

/** A printed form of the dossier, as its page links it. */
export interface FormLink {
  readonly href: string;
  readonly label: string;
}

const paperKindVi = { submitted: 'Giấy tờ nộp kèm', supplement: 'Giấy tờ bổ sung', result: 'Kết quả giải quyết' } as const;

/** What the action form's file input carries, if this user's actions take files. */
function attachmentLabel(d: DossierView): string | null {
  if (d.availableActions.includes('decide')) return d.issuesElectronicResult ? 'Kết quả giải quyết điện tử đã ký số (PDF) — bắt buộc khi ban hành kết quả' : 'Kết quả giải quyết điện tử đã ký số (PDF), nếu có — khi ban hành kết quả';
  if (d.availableActions.includes('provide_supplement')) return 'Giấy tờ bổ sung khác, không thuộc thành phần hồ sơ (PDF, JPG, PNG; mỗi tệp tối đa 10 MB)';
  return null;
}

/** Messages about papers kept under `papers.<seq>` by the form handler. */
const paperErrors = (form: Record<string, string>) => Object.fromEntries(Object.entries(form).filter(([k]) => k.startsWith('papers.')));

/**
 * The way back the applicant asked for (online only once an electronic result exists); without a request, by post for
 * postal dossiers, online when an electronic result exists, else at the counter.
 */
function defaultDelivery(d: DossierView): string {
  const electronic = d.papers.some((p) => p.kind === 'result');
  const asked = d.form.delivery?.method;
  if (asked && (asked !== 'online' || electronic)) return asked;
  if (d.channel === 3) return 'postal';
  return d.channel === 2 && electronic ? 'online' : 'counter';
}

/** Where a value came from, when it was filled in automatically rather than typed. */
function OriginNote(props: { from: { origin: string; sourceDossierCode: string | null } | undefined }) {
  const o = props.from;
  if (!o || o.origin === 'typed') return null;
  const text = o.origin === 'account' ? 'tự động điền từ tài khoản' : `tự động điền từ hồ sơ trước${o.sourceDossierCode ? ` ${o.sourceDossierCode}` : ''}`;
  return <span class="meta"> ({text})</span>;
}

const deliveryVi: Record<string, string> = { counter: 'tại Bộ phận Một cửa', online: 'trực tuyến', postal: 'qua bưu chính công ích' };

function PaperList(props: { d: DossierView; base: string }) {
  if (props.d.papers.length === 0) return null;
  return (
    <section aria-labelledby="giay-to">
      <h2 id="giay-to">Giấy tờ của hồ sơ</h2>
      <ul class="paper-list">
        {props.d.papers.map((p) => (
          <li key={p.id}>
            {paperKindVi[p.kind]}: {p.title} — <a href={`${props.base}/giay-to/${p.id}`}>{p.fileName}</a> ({Math.max(1, Math.round(p.sizeBytes / 1024))} KB
            {p.reused ? ', dùng lại từ kho giấy tờ' : ''}) <SignatureSummary signature={p.signature} mediaType={p.mediaType} />
          </li>
        ))}
      </ul>
    </section>
  );
}

/** The dossier page shared by the applicant and the officers: facts, timeline, and the actions this user may take. */
export function DossierDetail(props: { ctx: PageContext; d: DossierView; actionBase: string; forms: readonly FormLink[]; form: Record<string, string>; requirements: readonly PaperRequirement[] }) {
  const { d } = props;
  // The portal's page is the applicant's; the back office's, an officer's.
  const applicant = props.actionBase.startsWith('/dich-vu-cong');
  // The applicant withdraws through a confirmation page (what it means, the fee, the reason), not a button here.
  const actions = applicant ? d.availableActions.filter((a) => a !== 'withdraw') : d.availableActions;
  return (
    <>
      <dl class="summary">
        <dt>Mã hồ sơ</dt>
        <dd>
          <strong>{d.code ?? 'Chưa cấp'}</strong>
        </dd>
        <dt>Trạng thái</dt>
        <dd>{d.statusLabel}</dd>
        <dt>Thủ tục</dt>
        <dd>
          <a href={`/thu-tuc/${d.procedureCode}`}>{d.procedureName}</a>
        </dd>
        <dt>Người nộp</dt>
        <dd>{d.applicantName}</dd>
        {(
          [
            ['address', 'Địa chỉ liên hệ'],
            ['phone', 'Số điện thoại liên hệ'],
            ['email', 'Thư điện tử'],
          ] as const
        ).map(([k, label]) =>
          d.form[k] ? (
            <div key={k}>
              <dt>{label}</dt>
              <dd>
                {d.form[k]}
                <OriginNote from={d.form.contactOrigins[k]} />
              </dd>
            </div>
          ) : null,
        )}
        {d.form.request ? (
          <>
            <dt>Nội dung yêu cầu</dt>
            <dd>{d.form.request}</dd>
          </>
        ) : null}
        {d.form.delivery ? (
          <>
            <dt>Người nộp đề nghị nhận kết quả</dt>
            <dd>
              {deliveryVi[d.form.delivery.method] ?? d.form.delivery.method}
              {d.form.delivery.address ? `: ${d.form.delivery.address}` : ''}
            </dd>
          </>
        ) : null}
        {d.form.answers.map((a, i) => (
          <div key={a.key}>
            <dt>
              {a.group && a.group !== d.form.answers[i - 1]?.group ? <span class="meta">{a.group}: </span> : null}
              {a.label}
            </dt>
            <dd>
              {a.kind === 'date' ? formatIsoDate(a.value) : a.value}
              <OriginNote from={a} />
            </dd>
          </div>
        ))}
        <dt>Kênh nộp</dt>
        <dd>{channelVi[d.channel] ?? d.channel}</dd>
        <dt>Nơi tiếp nhận</dt>
        <dd>{d.receivingOrgUnit}</dd>
        <dt>Cơ quan giải quyết</dt>
        <dd>{d.decidingOrgUnit ?? '—'}</dd>
        <dt>Ngày nộp</dt>
        <dd>{when(d.submittedAt)}</dd>
        <dt>Ngày hẹn trả</dt>
        <dd>{when(d.dueAt)}</dd>
        {d.step ? (
          <>
            <dt>Bước xử lý</dt>
            <dd>
              {d.step.seq}/{d.step.count}: {d.step.name} — {d.step.unit}
              {d.step.assignee ? `, giao cho ${d.step.assignee}` : ', chưa phân công'}
              {d.step.dueAt ? ` (hạn bước: ${when(d.step.dueAt)})` : ''}
            </dd>
          </>
        ) : null}
        {d.resultDelivery ? (
          <>
            <dt>Trả kết quả</dt>
            <dd>
              {deliveryVi[d.resultDelivery.method] ?? d.resultDelivery.method}
              {d.resultDelivery.postalTracking ? `, mã bưu gửi ${d.resultDelivery.postalTracking}` : ''}
            </dd>
          </>
        ) : null}
        {d.result ? (
          <>
            <dt>Kết quả đã ban hành</dt>
            <dd>
              {d.result.kind === 'electronic' ? 'Bản điện tử đã ký số (xem giấy tờ của hồ sơ)' : 'Bản giấy'}
              {d.result.number ? `, số ${d.result.number}` : ''}
              {d.result.issuedOn ? `, ngày ${formatIsoDate(d.result.issuedOn)}` : ''}
            </dd>
          </>
        ) : null}
        {d.timeliness ? (
          <>
            <dt>Kết quả giải quyết</dt>
            <dd>{timelinessVi[d.timeliness]}</dd>
          </>
        ) : null}
      </dl>
      {props.forms.length > 0 ? (
        <section aria-labelledby="phieu">
          <h2 id="phieu">Phiếu, văn bản của hồ sơ</h2>
          <ul>
            {props.forms.map((f) => (
              <li key={f.href}>
                <a href={f.href}>{f.label}</a>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      <PaperList d={d} base={props.actionBase} />
      <SupplementList d={d} base={props.actionBase} />
      <FeeSection d={d} />
      {d.extension ? (
        <p>
          Đã hẹn lại ngày trả kết quả: {when(d.extension.newDueAt)}.
        </p>
      ) : null}
      {d.feeDue && applicant ? (
        <form method="post" action={`${props.actionBase}/thanh-toan`} class="notice">
          <CsrfField ctx={props.ctx} />
          <p>
            Phí, lệ phí cần nộp: <strong>{formatVnd(d.feeDue.amountVnd)}</strong>
          </p>
          <button type="submit" class="button">
            Thanh toán trực tuyến
          </button>
        </form>
      ) : null}
      {applicant && d.withdrawal ? (
        <p>
          <a href={`${props.actionBase}/rut-ho-so`} class="button button-secondary">
            Rút hồ sơ…
          </a>
        </p>
      ) : null}
      {actions.length > 0 ? (
        <section aria-labelledby="thao-tac">
          <h2 id="thao-tac">Thao tác</h2>
          <form method="post" action={props.actionBase} class="field" enctype="multipart/form-data">
            <CsrfField ctx={props.ctx} />
            <input type="hidden" name="rowVersion" value={String(d.rowVersion)} />
            <label for="f-note">{applicant ? 'Ghi chú gửi cơ quan giải quyết (không bắt buộc)' : 'Ghi chú'}</label>
            <p class="hint" id="f-note-hint">
              {applicant
                ? 'Ví dụ: nội dung đã bổ sung, hoàn thiện.'
                : 'Bắt buộc khi từ chối, yêu cầu bổ sung, dừng giải quyết hoặc rút hồ sơ theo đề nghị của người nộp: ghi rõ lý do, giấy tờ cần bổ sung (in trên phiếu gửi người nộp).'}
            </p>
            {props.form.noteError ? (
              <p class="error-message" id="f-note-error">
                {props.form.noteError}
              </p>
            ) : null}
            <textarea id="f-note" name="note" rows={3} maxLength={2000} aria-describedby={props.form.noteError ? 'f-note-hint f-note-error' : 'f-note-hint'} aria-invalid={props.form.noteError ? 'true' : undefined}>
              {props.form.note ?? ''}
            </textarea>
            {d.availableActions.includes('request_fee') ? (
              <>
                <TextField name="amountVnd" label="Số tiền phí, lệ phí (₫) — khi yêu cầu nộp phí" hint={feeTableHint(d)} inputMode="numeric" value={props.form.amountVnd} error={props.form.amountError} maxLength={14} />
                <TextField name="feeOverrideReason" label="Lý do thu khác biểu phí (nếu có)" value={props.form.feeOverrideReason} error={props.form.feeOverrideReasonError} maxLength={2000} />
              </>
            ) : null}
            {d.step && d.step.nextCandidates.length > 0 && d.availableActions.includes('forward') ? (
              <div class="field">
                <label for="f-assigneeId">Người xử lý bước tiếp theo (khi chuyển bước)</label>
                {props.form.assigneeIdError ? (
                  <p class="error-message" id="f-assigneeId-error">
                    {props.form.assigneeIdError}
                  </p>
                ) : null}
                <select id="f-assigneeId" name="assigneeId">
                  <option value="">— Để đơn vị tự phân công —</option>
                  {d.step.nextCandidates.map((c) => (
                    <option key={c.id} value={c.id} selected={props.form.assigneeId === c.id}>
                      {c.name}
                    </option>
                  ))}
                </select>
              </div>
            ) : null}
            {d.availableActions.includes('decide') ? (
              <fieldset class="field">
                <legend>Kết quả giải quyết (khi ban hành kết quả)</legend>
                <p class="hint">
                  {d.issuesElectronicResult
                    ? 'Thủ tục này trả kết quả điện tử: tải lên tệp PDF đã ký số ở ô bên dưới; chữ ký số được kiểm tra khi tải lên.'
                    : 'Tải lên kết quả điện tử đã ký số (PDF) ở ô bên dưới, hoặc ghi số, ký hiệu và ngày ban hành của kết quả bản giấy.'}
                </p>
                <TextField name="resultNumber" label="Số, ký hiệu kết quả bản giấy" hint="Ví dụ: 15/QĐ-STP" value={props.form.resultNumber} error={props.form.resultNumberError} maxLength={100} />
                <DateField name="resultIssuedOn" label="Ngày ban hành kết quả" value={props.form.resultIssuedOn} error={props.form.resultIssuedOnError} />
              </fieldset>
            ) : null}
            {d.availableActions.includes('pay_fee') ? (
              <TextField name="receiptNumber" label="Số biên lai thu phí, lệ phí tại quầy — khi ghi nhận đã nộp phí" value={props.form.receiptNumber} error={props.form.receiptNumberError} maxLength={50} />
            ) : null}
            {d.availableActions.includes('deliver_result') ? (
              <fieldset class="field">
                <legend>Hình thức trả kết quả</legend>
                {(
                  [
                    ['counter', 'Tại Bộ phận Một cửa'],
                    ['online', 'Trực tuyến (kết quả điện tử đã ký số)'],
                    ['postal', 'Qua bưu chính công ích, đến địa chỉ người nộp'],
                  ] as const
                ).map(([value, label]) => (
                  <div key={value}>
                    <input type="radio" id={`delivery-${value}`} name="deliveryMethod" value={value} checked={(props.form.deliveryMethod ?? defaultDelivery(d)) === value} />{' '}
                    <label for={`delivery-${value}`} class="checkbox-label">
                      {label}
                    </label>
                  </div>
                ))}
              </fieldset>
            ) : null}
            {d.availableActions.includes('provide_supplement') && props.requirements.length > 0 ? (
              <PaperFields requirements={props.requirements} choices={{}} records={[]} errors={paperErrors(props.form)} supplement />
            ) : null}
            {attachmentLabel(d) ? (
              <div class={props.form.fileIdsError ? 'field field-error' : 'field'}>
                <label for="f-fileIds">{attachmentLabel(d)}</label>
                {props.form.fileIdsError ? (
                  <p class="error-message" id="f-fileIds-error">
                    {props.form.fileIdsError}
                  </p>
                ) : null}
                <input type="file" id="f-fileIds" name="attachment" multiple accept=".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png" aria-describedby={props.form.fileIdsError ? 'f-fileIds-error' : undefined} aria-invalid={props.form.fileIdsError ? 'true' : undefined} />
              </div>
            ) : null}
            <div class="actions">
              {actions.map((a) => (
                <button key={a} type="submit" name="action" value={a} class={a === 'refuse' || a === 'stop' || a === 'withdraw' ? 'button button-secondary' : 'button'}>
                  {actionLabelsVi[a] ?? a}
                </button>
              ))}
            </div>
          </form>
        </section>
      ) : null}
      {d.canExtend ? (
        <section aria-labelledby="gia-han">
          <h2 id="gia-han">Xin lỗi và hẹn lại ngày trả (chỉ một lần)</h2>
          <form method="post" action={`${props.actionBase}/gia-han`} novalidate>
            <CsrfField ctx={props.ctx} />
            <input type="hidden" name="rowVersion" value={String(d.rowVersion)} />
            <DateField name="newDueDate" label="Ngày hẹn trả mới" value={props.form.newDueDate} error={props.form.newDueDateError} required />
            <TextField name="reason" label="Lý do quá hạn" value={props.form.reason} error={props.form.reasonError} required maxLength={2000} />
            <button type="submit" class="button button-secondary">
              Lập văn bản xin lỗi và hẹn lại
            </button>
          </form>
        </section>
      ) : null}
      {d.rating ? (
        <p>
          Đánh giá của người nộp: <strong>{d.rating.label}</strong>
          {d.rating.comment ? ` — ${d.rating.comment}` : ''}
        </p>
      ) : null}
      {d.canRate ? (
        <form method="post" action={`${props.actionBase}/danh-gia`}>
          <CsrfField ctx={props.ctx} />
          <fieldset class={props.form.ratingError ? 'field field-error' : 'field'}>
            <legend>Bạn đánh giá thế nào về việc giải quyết hồ sơ này?</legend>
            {props.form.ratingError ? <p class="error-message">{props.form.ratingError}</p> : null}
            {(
              [
                ['1', 'Rất hài lòng'],
                ['2', 'Hài lòng'],
                ['3', 'Chưa hài lòng'],
              ] as const
            ).map(([value, label]) => (
              <div key={value}>
                <input type="radio" id={`rating-${value}`} name="rating" value={value} checked={props.form.rating === value} />{' '}
                <label for={`rating-${value}`} class="checkbox-label">
                  {label}
                </label>
              </div>
            ))}
          </fieldset>
          <div class="field">
            <label for="f-comment">Góp ý (không bắt buộc)</label>
            <textarea id="f-comment" name="comment" rows={3} maxLength={2000}>
              {props.form.comment ?? ''}
            </textarea>
          </div>
          <button type="submit" class="button">
            Gửi đánh giá
          </button>
        </form>
      ) : null}
      <h2>Quá trình giải quyết</h2>
      <ol>
        {d.events.map((e) => (
          <li key={`${e.at}-${e.action}`}>
            {when(e.at)}: {actionLabelsVi[e.action] ?? e.action} — {statusLabelsVi[e.toStatus as DossierStatus]} ({e.actor}){e.detail ? `. ${e.detail}` : ''}
            {e.note ? `. Ghi chú: ${e.note}` : ''}
          </li>
        ))}
      </ol>
    </>
  );
}
