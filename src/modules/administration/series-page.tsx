import { DateField, ErrorSummary, errorsByField, SelectField, TextField } from '../../web/form.tsx';
import { formatDateTime, formatIsoDate } from '../../web/format.ts';
import { CsrfField, Layout, TableWrap } from '../../web/layout.tsx';
import type { PageContext } from '../../web/page-context.ts';
import type { FieldError } from '../../platform/errors.ts';
import type { SeriesListItem } from '../../platform/numbering/manage-series.ts';
import type { SkipView } from '../../platform/numbering/schema.ts';
import { TEMPLATE_TOKENS_HELP } from '../../platform/numbering/template.ts';

export const seriesLabels = {
  key: 'Dãy số',
  template: 'Mẫu số',
  resetPeriod: 'Đánh lại số',
  allocation: 'Nguồn cấp số',
  validFrom: 'Hiệu lực từ ngày',
  legalBasis: 'Căn cứ pháp lý',
  description: 'Mô tả',
};

const resetLabels = { none: 'Không đánh lại', daily: 'Hằng ngày', yearly: 'Hằng năm (từ 01/01)' } as const;
const allocationLabels = { local: 'Cấp tại CQS', upstream: 'Lấy từ hệ thống cấp trên' } as const;
const scopeLabels = { province: 'Toàn tỉnh', agency: 'Theo cơ quan tiếp nhận', agency_document_type: 'Theo cơ quan và loại văn bản' } as const;
const stateLabels = { in_force: 'Đang hiệu lực', past: 'Đã hết hiệu lực', future: 'Sắp có hiệu lực' } as const;
const reasonLabels: Record<string, string> = { upstream: 'Hệ thống cấp trên bỏ qua số này' };

const period = (v: SeriesListItem) => `${formatIsoDate(v.validFrom)} – ${v.validTo ? formatIsoDate(v.validTo) : 'nay'}`;

function VersionTable(props: { label: string; versions: readonly SeriesListItem[] }) {
  return (
    <TableWrap label={props.label}>
      <table>
        <caption class="visually-hidden">{props.label}</caption>
        <thead>
          <tr>
            <th scope="col">Dãy số</th>
            <th scope="col">Mẫu số và ví dụ</th>
            <th scope="col">Phạm vi, đánh lại số</th>
            <th scope="col">Nguồn cấp số</th>
            <th scope="col">Hiệu lực</th>
            <th scope="col">Căn cứ pháp lý</th>
          </tr>
        </thead>
        <tbody>
          {props.versions.map((v) => (
            <tr key={v.id}>
              <td>
                {v.description}
                <br />
                <code>{v.key}</code>
              </td>
              <td>
                <code>{v.template}</code>
                <br />
                Ví dụ: <code>{v.example}</code>
              </td>
              <td>
                {scopeLabels[v.scopeKind]}; {resetLabels[v.resetPeriod].toLowerCase()}
              </td>
              <td>{allocationLabels[v.allocation]}</td>
              <td>
                {period(v)}
                <br />
                {stateLabels[v.state]}
              </td>
              <td>{v.legalBasis ?? '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableWrap>
  );
}

function SkipTable(props: { skips: readonly SkipView[]; total: number }) {
  if (props.skips.length === 0) return <p>Chưa có số nào bị bỏ qua hoặc hủy: mọi số đã cấp đều đã được sử dụng.</p>;
  return (
    <>
      <p>
        {props.total} số đã cấp nhưng không sử dụng{props.total > props.skips.length ? ` (hiển thị ${props.skips.length} số mới nhất)` : ''}.
      </p>
      <TableWrap label="Số bỏ qua hoặc hủy">
        <table>
          <caption class="visually-hidden">Số bỏ qua hoặc hủy, mới nhất trước</caption>
          <thead>
            <tr>
              <th scope="col">Số</th>
              <th scope="col">Dãy số, phạm vi, kỳ</th>
              <th scope="col">Lý do</th>
              <th scope="col">Người ghi nhận, thời điểm</th>
            </tr>
          </thead>
          <tbody>
            {props.skips.map((s) => (
              <tr key={`${s.seriesKey}/${s.scopeKey}/${s.periodKey}/${s.value}`}>
                <td>
                  <code>{s.number ?? String(s.value)}</code>
                </td>
                <td>
                  <code>{s.seriesKey}</code> · {s.scopeName ?? s.scopeKey} · {s.periodKey}
                </td>
                <td>
                  {reasonLabels[s.reason] ?? s.reason}
                  {s.note ? `: ${s.note}` : ''}
                </td>
                <td>
                  {s.actorLabel}, {formatDateTime(new Date(s.recordedAt))}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableWrap>
    </>
  );
}

export interface SeriesPageProps {
  readonly ctx: PageContext;
  readonly versions: readonly SeriesListItem[];
  readonly skips: { items: readonly SkipView[]; total: number };
  readonly form: Record<string, string>;
  readonly errors: readonly FieldError[];
  readonly notice?: string | undefined;
}

export function SeriesPage(props: SeriesPageProps) {
  const errors = errorsByField(props.errors);
  const current = props.versions.filter((v) => v.state === 'in_force');
  const others = props.versions.filter((v) => v.state !== 'in_force');
  // The latest version of each key: the form states which one it follows, so a concurrent change is a conflict.
  const latest = new Map<string, SeriesListItem>();
  for (const v of props.versions) if (!latest.has(v.key)) latest.set(v.key, v);
  // A fresh form starts from the first series' version in force, so an administrator edits rather than retypes.
  const first = current[0];
  const f = Object.keys(props.form).length > 0 || !first ? props.form : { key: first.key, template: first.template, resetPeriod: first.resetPeriod, allocation: first.allocation };
  return (
    <Layout ctx={props.ctx} title="Dãy số">
      <h1>Dãy số</h1>
      <p>
        Mã số hồ sơ và số văn bản được cấp theo các dãy số dưới đây. Mỗi thay đổi là một phiên bản mới có ngày hiệu lực; số đã cấp giữ nguyên
        theo phiên bản cũ, và số thứ tự tiếp tục trong kỳ.
      </p>
      {props.notice ? (
        <div class="notice" role="status">
          <p>{props.notice}</p>
        </div>
      ) : null}
      <h2>Đang hiệu lực</h2>
      {current.length === 0 ? <p>Không có dãy số nào đang hiệu lực.</p> : <VersionTable label="Dãy số đang hiệu lực" versions={current} />}
      <h2>Các phiên bản khác</h2>
      {others.length === 0 ? <p>Chưa có phiên bản cũ hoặc sắp có hiệu lực.</p> : <VersionTable label="Phiên bản đã hết hoặc sắp có hiệu lực" versions={others} />}
      <h2>Thêm phiên bản mới</h2>
      <ErrorSummary errors={errors} labels={seriesLabels} />
      <form method="post" action="/quan-tri/danh-so" novalidate>
        <CsrfField ctx={props.ctx} />
        {[...latest.values()].map((v) => (
          <input key={v.key} type="hidden" name={`rowVersion_${v.key}`} value={f[`rowVersion_${v.key}`] ?? String(v.rowVersion)} />
        ))}
        <SelectField name="key" label={seriesLabels.key} value={f.key} error={errors.key} required options={[...latest.values()].map((v) => ({ value: v.key, label: `${v.description} (${v.key})` }))} />
        <TextField name="template" label={seriesLabels.template} hint={`Các mã dùng được: ${TEMPLATE_TOKENS_HELP}. Ví dụ: {agency}-{yyMMdd}-{seq:4}.`} value={f.template} error={errors.template} required maxLength={200} />
        <SelectField name="resetPeriod" label={seriesLabels.resetPeriod} value={f.resetPeriod} error={errors.resetPeriod} required options={Object.entries(resetLabels).map(([value, label]) => ({ value, label }))} />
        <SelectField name="allocation" label={seriesLabels.allocation} hint="Lấy số từ hệ thống cấp trên chỉ chọn được khi CQS đã kết nối với hệ thống đó." value={f.allocation} error={errors.allocation} required options={Object.entries(allocationLabels).map(([value, label]) => ({ value, label }))} />
        <DateField name="validFrom" label={seriesLabels.validFrom} hint="Từ hôm nay trở đi." value={f.validFrom} error={errors.validFrom} required />
        <TextField name="legalBasis" label={seriesLabels.legalBasis} hint="Ví dụ: TT 03/2025/TT-VPCP Điều 13" value={f.legalBasis} error={errors.legalBasis} required maxLength={300} />
        <TextField name="description" label={seriesLabels.description} hint="Để trống để giữ mô tả của phiên bản hiện tại." value={f.description} error={errors.description} maxLength={300} />
        <button type="submit" class="button">
          Thêm phiên bản
        </button>
      </form>
      <h2>Số đã cấp nhưng không sử dụng</h2>
      <SkipTable skips={props.skips.items} total={props.skips.total} />
    </Layout>
  );
}
