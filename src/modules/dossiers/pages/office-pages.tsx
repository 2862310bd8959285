import type { AddressChoices } from '../../../web/address-field.tsx';
import { AnswerFields, answerLabels } from './answer-fields.tsx';
import { DeliveryFields, deliveryLabels } from './delivery-fields.tsx';
import type { FormField } from '../../procedures/index.ts';
import type { PaperRequirement } from '../../procedures/index.ts';
import type { PaperChoices } from '../paper-form.ts';
import { PaperFields } from './paper-fields.tsx';
import { DateField, ErrorSummary, type FormErrors, PageMessages, SelectField, TextField } from '../../../web/form.tsx';
import { formatDateTime } from '../../../web/format.ts';
import { CsrfField, Layout, TableWrap } from '../../../web/layout.tsx';
import { KeysetPagination } from '../../../web/pagination.tsx';
import type { PageContext } from '../../../web/page-context.ts';

const views = [
  ['todo', 'Cần xử lý'],
  ['mine', 'Được giao cho tôi'],
  ['due_soon', 'Sắp đến hạn'],
  ['overdue', 'Quá hạn'],
  ['waiting', 'Chờ công dân'],
  ['all', 'Tất cả'],
] as const;

export interface QueueRow {
  readonly id: string;
  readonly code: string | null;
  readonly statusLabel: string;
  readonly procedureName: string;
  readonly applicantName: string;
  readonly dueAt: string | null;
  readonly assignee: string | null;
}

interface QueueResultView {
  readonly items: readonly QueueRow[];
  readonly total: number | null;
  readonly totalCapped: boolean;
  readonly nextCursor: string | null;
  readonly previousCursor: string | null;
}

/** "Hồ sơ 1–50 trong 1.234 hồ sơ", or for a search (not counted) which rows these are and whether more follow. */
export function queueSummary(r: QueueResultView, start: number): string {
  if (r.items.length === 0) return start === 0 ? 'Không có hồ sơ nào.' : 'Không còn hồ sơ nào.';
  const range = `Hồ sơ ${(start + 1).toLocaleString('vi-VN')}–${(start + r.items.length).toLocaleString('vi-VN')}`;
  if (r.total === null) return `${range} khớp với tìm kiếm${r.nextCursor ? '; còn nữa ở trang sau' : ''}.`;
  return `${range} trong ${r.totalCapped ? 'hơn ' : ''}${r.total.toLocaleString('vi-VN')} hồ sơ${r.totalCapped ? '; nhập mã, tên hoặc số định danh để thu hẹp' : ''}.`;
}

export function QueuePage(props: {
  ctx: PageContext;
  view: string;
  q: string;
  /** The submission period the "all" view covers (YYYY-MM-DD, or as typed when wrong). */
  period: { from: string; to: string };
  /** The position of the page's first row (0 on the first page). */
  start: number;
  limit: number;
  result: QueueResultView;
  canReceive: boolean;
  errors: FormErrors;
  assignees: readonly { id: string; name: string }[];
  notice?: string | undefined;
}) {
  const bulk = props.assignees.length > 0;
  return (
    <Layout ctx={props.ctx} title="Xử lý hồ sơ">
      <h1>Xử lý hồ sơ</h1>
      {props.canReceive ? (
        <p>
          <a class="button" href="/mot-cua/tiep-nhan">
            Tiếp nhận hồ sơ trực tiếp
          </a>
        </p>
      ) : null}
      <nav aria-label="Hàng đợi" class="pagination">
        {views.map(([v, label]) => (
          <a key={v} href={`/mot-cua?view=${v}`} aria-current={props.view === v ? 'page' : undefined}>
            {label}
          </a>
        ))}
      </nav>
      <ErrorSummary errors={props.errors} labels={{ q: 'Tìm kiếm', view: 'Hàng đợi', after: 'Trang', before: 'Trang', from: 'Nộp từ ngày', to: 'Đến ngày' }} unlinked={['view', 'after', 'before', 'assignment']} />
      <search>
        <form method="get" action="/mot-cua">
          <input type="hidden" name="view" value={props.view} />
          <TextField name="q" type="search" label="Mã hồ sơ, tên hoặc số định danh người nộp" value={props.q} error={props.errors.q} maxLength={100} />
          {props.view === 'all' ? (
            <>
              <DateField name="from" label="Nộp từ ngày" value={props.period.from} error={props.errors.from} />
              <DateField name="to" label="Đến ngày" value={props.period.to} error={props.errors.to} />
            </>
          ) : null}
          <button type="submit" class="button">
            Tìm
          </button>
        </form>
      </search>
      <p>
        {queueSummary(props.result, props.start)}
      </p>
      <PageMessages notice={props.notice} />
      <form method="post" action="/mot-cua/phan-cong" id="phan-cong">
        <CsrfField ctx={props.ctx} />
        <input type="hidden" name="view" value={props.view} />
      </form>
      {bulk ? (
        <div class={props.errors.assignment ? 'field field-error' : 'field'}>
          {props.errors.assignment ? (
            <p class="error-message" id="f-assignment-error">
              {props.errors.assignment}
            </p>
          ) : null}
          <label for="f-assigneeId">Phân công các hồ sơ đã chọn cho</label>
          <select id="f-assigneeId" name="assigneeId" form="phan-cong">
            {props.assignees.map((a) => (
              <option key={a.id} value={a.id}>
                {a.name}
              </option>
            ))}
          </select>{' '}
          <button type="submit" class="button" form="phan-cong">
            Phân công
          </button>
        </div>
      ) : null}
      <TableWrap label="Hồ sơ trong hàng đợi">
        <table>
          <thead>
            <tr>
              {bulk ? (
                <th scope="col">
                  <span class="visually-hidden">Chọn</span>
                </th>
              ) : null}
              <th scope="col">Mã hồ sơ</th>
              <th scope="col">Thủ tục</th>
              <th scope="col">Người nộp</th>
              <th scope="col">Trạng thái</th>
              <th scope="col">Hẹn trả</th>
              <th scope="col">Người xử lý</th>
            </tr>
          </thead>
          <tbody>
            {props.result.items.map((d) => (
              <tr key={d.id}>
                {bulk ? (
                  <td>
                    <input type="checkbox" name="dossierIds" value={d.id} form="phan-cong" aria-label={`Chọn hồ sơ ${d.code ?? ''}`} />
                  </td>
                ) : null}
                <td>
                  <a href={`/mot-cua/ho-so/${d.id}`}>{d.code ?? 'Chưa cấp mã'}</a>
                </td>
                <td>{d.procedureName}</td>
                <td>{d.applicantName}</td>
                <td>{d.statusLabel}</td>
                <td>{d.dueAt ? formatDateTime(new Date(d.dueAt)) : '—'}</td>
                <td>{d.assignee ?? '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableWrap>
      <KeysetPagination previousCursor={props.result.previousCursor} nextCursor={props.result.nextCursor} start={props.start} limit={props.limit} href={(page) => queueLink(props.view, props.q, page, props.view === 'all' ? props.period : null)} />
    </Layout>
  );
}

const queueLink = (view: string, q: string, page: { after?: string; before?: string; start: number }, period: { from: string; to: string } | null) =>
  `/mot-cua?${new URLSearchParams({ view, ...(q ? { q } : {}), ...(period ? { from: period.from, to: period.to } : {}), ...page, start: String(page.start) }).toString()}`;

const receiptLabels = {
  procedureCode: 'Mã hoặc tên thủ tục',
  decidingOrgUnitId: 'Cơ quan giải quyết',
  channel: 'Hình thức nộp',
  applicantName: 'Họ tên người nộp',
  applicantPersonalId: 'Số định danh cá nhân',
  address: 'Địa chỉ',
  phone: 'Số điện thoại liên hệ',
  email: 'Thư điện tử',
  request: 'Nội dung yêu cầu',
  sets: 'Số lượng hồ sơ (bộ)',
  ...deliveryLabels,
};
const countLabels = (requirements: readonly PaperRequirement[]) =>
  Object.fromEntries(requirements.flatMap((r) => [[`received_${r.seq}_originals`, `Số bản chính của giấy tờ ${r.seq}`], [`received_${r.seq}_copies`, `Số bản sao của giấy tờ ${r.seq}`]]));

export function CounterReceiptPage(props: {
  ctx: PageContext;
  procedure: { code: string; name: string } | null;
  /** Procedures whose names match the words typed (null when a code was typed or nothing yet). */
  matches: { readonly items: readonly { code: string; name: string; sector: string | null }[]; readonly total: number } | null;
  units: readonly { id: string; name: string }[];
  form: Record<string, string>;
  errors: FormErrors;
  requirements: readonly PaperRequirement[];
  choices: PaperChoices;
  formFields: readonly FormField[];
  places: Readonly<Record<string, AddressChoices>>;
}) {
  const { form, errors } = props;
  return (
    <Layout ctx={props.ctx} title="Tiếp nhận hồ sơ">
      <p>
        <a href="/mot-cua">← Xử lý hồ sơ</a>
      </p>
      <h1>Tiếp nhận hồ sơ trực tiếp hoặc qua bưu chính</h1>
      <ErrorSummary errors={errors} labels={{ ...receiptLabels, ...countLabels(props.requirements), ...answerLabels(props.formFields) }} unlinked={['receivingUnit']} />
      {props.procedure === null ? (
        <>
          <search>
            <form method="get" action="/mot-cua/tiep-nhan">
              <TextField name="procedureCode" label={receiptLabels.procedureCode} hint="Mã, ví dụ 1.001193, hoặc vài từ trong tên, có dấu hay không dấu, ví dụ: khai sinh" value={form.procedureCode} error={errors.procedureCode} required maxLength={200} />
              <button type="submit" class="button">
                Tiếp tục
              </button>
            </form>
          </search>
          {props.matches === null ? null : props.matches.items.length === 0 ? (
            <p role="status">Không tìm thấy thủ tục nào có tên như vậy mà đơn vị giải quyết đã được phân công.</p>
          ) : (
            <section aria-labelledby="thu-tuc-tim-thay">
              <h2 id="thu-tuc-tim-thay">Chọn thủ tục</h2>
              <p>
                {props.matches.total > props.matches.items.length
                  ? `Có ${props.matches.total.toLocaleString('vi-VN')} thủ tục phù hợp; dưới đây là ${props.matches.items.length} thủ tục đầu tiên, gõ thêm từ để thu hẹp.`
                  : `Có ${props.matches.total.toLocaleString('vi-VN')} thủ tục phù hợp.`}
              </p>
              <ul class="result-list">
                {props.matches.items.map((m) => (
                  <li key={m.code}>
                    <a href={`/mot-cua/tiep-nhan?procedureCode=${encodeURIComponent(m.code)}`}>{m.name}</a> ({m.code}
                    {m.sector ? ` — ${m.sector}` : ''})
                  </li>
                ))}
              </ul>
            </section>
          )}
        </>
      ) : (
        <form method="post" action="/mot-cua/tiep-nhan" enctype="multipart/form-data" novalidate>
          <CsrfField ctx={props.ctx} />
          <input type="hidden" name="procedureCode" value={props.procedure.code} />
          <p>
            Thủ tục: <strong>{props.procedure.name}</strong> ({props.procedure.code}) — <a href="/mot-cua/tiep-nhan">chọn thủ tục khác</a>
          </p>
          <SelectField name="decidingOrgUnitId" label={receiptLabels.decidingOrgUnitId} value={form.decidingOrgUnitId} error={errors.decidingOrgUnitId} options={props.units.map((u) => ({ value: u.id, label: u.name }))} placeholder="Chọn cơ quan" required />
          <SelectField
            name="channel"
            label={receiptLabels.channel}
            value={form.channel ?? '1'}
            error={errors.channel}
            options={[
              { value: '1', label: 'Trực tiếp tại bộ phận một cửa' },
              { value: '3', label: 'Qua bưu chính công ích' },
            ]}
            required
          />
          <TextField name="applicantName" label={receiptLabels.applicantName} value={form.applicantName} error={errors.applicantName} required maxLength={200} />
          <TextField name="applicantPersonalId" label={receiptLabels.applicantPersonalId} inputMode="numeric" value={form.applicantPersonalId} error={errors.applicantPersonalId} maxLength={12} />
          <TextField name="address" label={receiptLabels.address} value={form.address} error={errors.address} required maxLength={300} />
          <TextField name="phone" label={receiptLabels.phone} type="tel" value={form.phone} error={errors.phone} maxLength={11} hint="Người nộp nhận tin nhắn về hồ sơ qua số này; số cũng in trên giấy tiếp nhận và sổ theo dõi." />
          <TextField name="email" label={receiptLabels.email} type="email" value={form.email} error={errors.email} maxLength={200} />
          <TextField name="request" label={receiptLabels.request} value={form.request} error={errors.request} required maxLength={2000} />
          <TextField name="sets" label={receiptLabels.sets} hint="Để trống nếu nhận 01 bộ" inputMode="numeric" value={form.sets} error={errors.sets} maxLength={2} />
          <AnswerFields fields={props.formFields} form={form} errors={errors} places={props.places} marks={{}} />
          <DeliveryFields form={{ ...form, resultDelivery: form.resultDelivery ?? (form.channel === '3' ? 'postal' : 'counter') }} errors={errors} />
          <PaperFields requirements={props.requirements} choices={props.choices} records={[]} errors={errors} counts={form} />
          <button type="submit" class="button">
            Tiếp nhận và cấp mã hồ sơ
          </button>
        </form>
      )}
    </Layout>
  );
}
