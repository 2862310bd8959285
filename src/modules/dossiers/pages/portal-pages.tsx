import type { AddressChoices } from '../../../web/address-field.tsx';
import { ErrorSummary, type FormErrors, PageMessages, SelectField, TextAreaField, TextField } from '../../../web/form.tsx';
import { formatDateTime } from '../../../web/format.ts';
import { CsrfField, Layout } from '../../../web/layout.tsx';
import type { PageContext } from '../../../web/page-context.ts';
import type { DossierView, LookupView } from '../schema.ts';
import { DossierDetail, type FormLink } from './dossier-detail.tsx';
import type { PaperRequirement } from '../../procedures/index.ts';
import type { PaperChoices } from '../paper-form.ts';
import { PaperFields, PaperSummary, paperLabels } from './paper-fields.tsx';
import { AnswerFields, AnswerSummary, answerLabels } from './answer-fields.tsx';
import type { FormField } from '../../procedures/index.ts';
import { DeliveryFields, deliveryLabels, deliveryText } from './delivery-fields.tsx';

const labels = { decidingOrgUnitId: 'Cơ quan giải quyết', address: 'Địa chỉ liên hệ', phone: 'Số điện thoại liên hệ', email: 'Thư điện tử', request: 'Nội dung yêu cầu', procedureCode: 'Thủ tục', ...deliveryLabels };

export function SubmissionPage(props: {
  ctx: PageContext;
  procedure: { code: string; name: string };
  units: readonly { id: string; name: string }[];
  form: Record<string, string>;
  errors: FormErrors;
  review: boolean;
  requirements: readonly PaperRequirement[];
  choices: PaperChoices;
  records: readonly { id: string; title: string }[];
  formFields: readonly FormField[];
  places: Readonly<Record<string, AddressChoices>>;
  /** What was filled in automatically and is still as it was: said next to each such field. */
  marks: Readonly<Record<string, string>>;
  /** The answers as one line each, for the check-your-answers page. */
  answerTexts: Readonly<Record<string, string>>;
}) {
  const { form, errors, marks } = props;
  const allLabels = { ...labels, ...answerLabels(props.formFields), ...paperLabels(props.requirements) };
  const action = `/dich-vu-cong/nop/${props.procedure.code}`;
  const unitName = props.units.find((u) => u.id === form.decidingOrgUnitId)?.name ?? '';
  const autofilled = Object.keys(marks).length;
  return (
    <Layout ctx={props.ctx} title={props.review ? 'Kiểm tra thông tin hồ sơ' : 'Nộp hồ sơ trực tuyến'}>
      <p>
        <a href={`/thu-tuc/${props.procedure.code}`}>← {props.procedure.name}</a>
      </p>
      <h1>{props.review ? 'Kiểm tra thông tin trước khi nộp' : 'Nộp hồ sơ trực tuyến'}</h1>
      <p>Thủ tục: {props.procedure.name}</p>
      <ErrorSummary errors={errors} labels={allLabels} />
      {props.units.length === 0 ? (
        <p class="notice" role="status">
          Thủ tục này chưa được cơ quan nào trong tỉnh nhận hồ sơ trực tuyến. Vui lòng xem cách thức nộp trên trang thủ tục.
        </p>
      ) : props.review ? (
        <form method="post" action={action}>
          <CsrfField ctx={props.ctx} />
          {Object.entries(form).map(([k, v]) => (
            <input key={k} type="hidden" name={k} value={v} />
          ))}
          <dl class="summary">
            <dt>{labels.decidingOrgUnitId}</dt>
            <dd>{unitName}</dd>
            {(['address', 'phone', 'email'] as const).map((k) => (
              <div key={k}>
                <dt>{labels[k]}</dt>
                <dd>
                  {form[k] || '—'}
                  {marks[k] ? <span class="autofill"> ({marks[k]})</span> : null}
                </dd>
              </div>
            ))}
            <dt>{labels.request}</dt>
            <dd>{form.request}</dd>
            <dt>{labels.resultDelivery}</dt>
            <dd>{deliveryText(form)}</dd>
            <AnswerSummary fields={props.formFields} values={props.answerTexts} marks={marks} />
            <PaperSummary requirements={props.requirements} choices={props.choices} />
          </dl>
          <div class="actions">
            <button type="submit" name="step" value="submit" class="button">
              Nộp hồ sơ
            </button>
            <button type="submit" name="step" value="edit" class="button button-secondary">
              Sửa lại
            </button>
          </div>
        </form>
      ) : (
        <form method="post" action={action} enctype="multipart/form-data" novalidate>
          <CsrfField ctx={props.ctx} />
          <input type="hidden" name="idempotencyKey" value={form.idempotencyKey ?? ''} />
          <input type="hidden" name="step" value="review" />
          {autofilled > 0 ? (
            <p class="notice" role="status">
              {autofilled} thông tin đã được điền sẵn từ tài khoản hoặc hồ sơ trước của bạn (có ghi chú bên dưới). Hãy kiểm tra; sửa nếu chưa đúng.
            </p>
          ) : null}
          <SelectField name="decidingOrgUnitId" label={labels.decidingOrgUnitId} value={form.decidingOrgUnitId} error={errors.decidingOrgUnitId} options={props.units.map((u) => ({ value: u.id, label: u.name }))} placeholder="Chọn cơ quan" required />
          <fieldset class="form-group">
            <legend>Thông tin liên hệ</legend>
            <TextField name="address" label={labels.address} value={form.address} error={errors.address} required maxLength={300} autocomplete="street-address" mark={marks.address} />
            <TextField name="phone" label={labels.phone} type="tel" value={form.phone} error={errors.phone} maxLength={11} autocomplete="tel" hint="Tin nhắn về hồ sơ được gửi tới số này." mark={marks.phone} />
            <TextField name="email" label={labels.email} type="email" value={form.email} error={errors.email} maxLength={200} autocomplete="email" hint="Thư báo về hồ sơ được gửi tới địa chỉ này." mark={marks.email} />
          </fieldset>
          <TextAreaField name="request" label={labels.request} hint="Ví dụ: đăng ký khai sinh cho con, sinh ngày…" value={form.request} error={errors.request} required maxLength={2000} />
          <AnswerFields fields={props.formFields} form={form} errors={errors} places={props.places} marks={marks} />
          <DeliveryFields form={form} errors={errors} />
          <PaperFields requirements={props.requirements} choices={props.choices} records={props.records} errors={errors} />
          <button type="submit" class="button">
            Tiếp tục
          </button>
        </form>
      )}
    </Layout>
  );
}

// What an applicant must do for a dossier paused on them (status 5 or 6).
const waitingOnApplicant: Readonly<Record<number, string>> = { 5: 'Cần bạn bổ sung giấy tờ', 6: 'Cần bạn nộp phí, lệ phí' };

export function MyDossiersPage(props: { ctx: PageContext; items: readonly { id: string; code: string | null; status: number; statusLabel: string; procedureName: string; dueAt: string | null }[] }) {
  const waiting = props.items.filter((d) => waitingOnApplicant[d.status]).length;
  return (
    <Layout ctx={props.ctx} title="Hồ sơ của tôi">
      <h1>Hồ sơ của tôi</h1>
      {props.items.length === 0 ? <p>Bạn chưa nộp hồ sơ nào. Tìm thủ tục cần làm ở trang <a href="/thu-tuc">Thủ tục hành chính</a>.</p> : null}
      {waiting > 0 ? (
        <div class="notice">
          <p role="status">Có {waiting} hồ sơ đang chờ bạn bổ sung giấy tờ hoặc nộp phí; thời hạn giải quyết tạm dừng cho đến khi bạn thực hiện.</p>
        </div>
      ) : null}
      <ul class="result-list">
        {props.items.map((d) => (
          <li key={d.id}>
            <a href={`/dich-vu-cong/ho-so/${d.id}`}>{d.code ?? 'Hồ sơ'}</a> — {d.procedureName}
            <p class="meta">
              {waitingOnApplicant[d.status] ? <strong>{waitingOnApplicant[d.status]} · </strong> : null}
              {d.statusLabel}
              {d.dueAt ? ` · hẹn trả ${formatDateTime(new Date(d.dueAt))}` : ''}
            </p>
          </li>
        ))}
      </ul>
    </Layout>
  );
}

export function DossierPage(props: {
  ctx: PageContext;
  d: DossierView;
  actionBase: string;
  forms: readonly FormLink[];
  back: { href: string; label: string };
  notice?: string;
  message?: string;
  form: Record<string, string>;
  /** The papers the procedure asks for, when a supplement can be given here. */
  requirements?: readonly PaperRequirement[];
}) {
  return (
    <Layout ctx={props.ctx} title={`Hồ sơ ${props.d.code ?? ''}`}>
      <p>
        <a href={props.back.href}>← {props.back.label}</a>
      </p>
      <h1>Hồ sơ {props.d.code}</h1>
      <PageMessages notice={props.notice} message={props.message} />
      <DossierDetail ctx={props.ctx} d={props.d} actionBase={props.actionBase} forms={props.forms} form={props.form} requirements={props.requirements ?? []} />
    </Layout>
  );
}

export function LookupPage(props: { ctx: PageContext; code: string; result: (LookupView & { ownLink: string | null }) | null; errors: FormErrors; searched: boolean }) {
  const r = props.result;
  return (
    <Layout ctx={props.ctx} title="Tra cứu hồ sơ">
      <h1>Tra cứu tình trạng hồ sơ</h1>
      <ErrorSummary errors={props.errors} labels={{ code: 'Mã hồ sơ' }} />
      <search>
        <form method="get" action="/tra-cuu-ho-so">
          <TextField name="code" label="Mã hồ sơ" hint="In trên giấy tiếp nhận, ví dụ 000.01.20.H32-261124-0001" value={props.code} error={props.errors.code} maxLength={60} />
          <button type="submit" class="button">
            Tra cứu
          </button>
        </form>
      </search>
      {r ? (
        <section aria-labelledby="ket-qua-tra-cuu">
          <div class="notice">
            <p role="status">
              Hồ sơ <strong>{r.code}</strong>: {r.statusLabel}. {r.ownLink ? <a href={r.ownLink}>Xem chi tiết</a> : null}
            </p>
          </div>
          <h2 id="ket-qua-tra-cuu">Thông tin hồ sơ</h2>
          <dl class="summary">
            <dt>Thủ tục</dt>
            <dd>
              <a href={`/thu-tuc/${r.procedureCode}`}>{r.procedureName}</a>
            </dd>
            <dt>Cơ quan tiếp nhận</dt>
            <dd>{r.receivingOrgUnit}</dd>
            <dt>Ngày hẹn trả kết quả</dt>
            <dd>{r.dueAt ? formatDateTime(new Date(r.dueAt)) : 'Chưa có (hồ sơ chưa được tiếp nhận)'}</dd>
          </dl>
          <h2>Quá trình giải quyết</h2>
          <ol>
            {r.steps.map((s, i) => (
              <li key={`${s.at}-${i}`}>
                <time dateTime={s.at}>{formatDateTime(new Date(s.at))}</time>: {s.actionLabel} — {s.statusLabel}
              </li>
            ))}
          </ol>
        </section>
      ) : props.searched && Object.keys(props.errors).length === 0 ? (
        <p role="status">Không tìm thấy hồ sơ có mã này.</p>
      ) : null}
    </Layout>
  );
}
