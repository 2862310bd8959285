import { type Option, SelectField, TextField } from '../../../web/form.tsx';
import { OffsetPagination } from '../../../web/pagination.tsx';
import { Layout } from '../../../web/layout.tsx';
import type { PageContext } from '../../../web/page-context.ts';
import { levelLabels, onlineLevelLabels } from '../labels.ts';
import type { ProcedureSummary } from '../schema.ts';

export interface CatalogueFilters {
  readonly q: string;
  readonly sector: string;
  readonly level: string;
  readonly onlineLevel: string;
}

function pageLink(filters: CatalogueFilters, offset: number): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(filters)) if (v !== '') params.set(k, v);
  if (offset > 0) params.set('offset', String(offset));
  return `/thu-tuc?${params.toString()}`;
}

export function CataloguePage(props: {
  ctx: PageContext;
  filters: CatalogueFilters;
  sectors: readonly { id: number; name: string; procedures: number }[];
  result: { items: readonly ProcedureSummary[]; total: number; limit: number; offset: number } | null;
  errors: Readonly<Record<string, string>>;
}) {
  const { filters, result } = props;
  const sectorOptions: Option[] = props.sectors.map((s) => ({ value: String(s.id), label: `${s.name} (${s.procedures})` }));
  const levelOptions: Option[] = ['province', 'commune', 'ministry'].map((v) => ({ value: v, label: levelLabels[v] ?? v }));
  const onlineOptions: Option[] = ['full', 'partial', 'none'].map((v) => ({ value: v, label: onlineLevelLabels[v] ?? v }));
  return (
    <Layout ctx={props.ctx} title="Thủ tục hành chính">
      <h1>Thủ tục hành chính</h1>
      <search>
        <form method="get" action="/thu-tuc" class="filters">
          <TextField name="q" type="search" label="Tìm theo tên hoặc mã thủ tục" hint="Gõ có dấu hoặc không dấu, ví dụ: dang ky khai sinh" value={filters.q} error={props.errors.q} maxLength={200} />
          <SelectField name="sector" label="Lĩnh vực" value={filters.sector} error={props.errors.sector} options={sectorOptions} placeholder="Tất cả lĩnh vực" />
          <SelectField name="level" label="Cấp thực hiện" value={filters.level} error={props.errors.level} options={levelOptions} placeholder="Tất cả các cấp" />
          <SelectField name="onlineLevel" label="Dịch vụ công trực tuyến" value={filters.onlineLevel} error={props.errors.onlineLevel} options={onlineOptions} placeholder="Tất cả" />
          <div class="actions">
            <button type="submit" class="button">
              Tìm kiếm
            </button>
          </div>
        </form>
      </search>
      {result ? (
        <section aria-labelledby="ket-qua">
          <h2 id="ket-qua">
            {result.total === 0 ? 'Không tìm thấy thủ tục phù hợp' : `Tìm thấy ${result.total.toLocaleString('vi-VN')} thủ tục`}
          </h2>
          <ul class="result-list">
            {result.items.map((p) => (
              <li key={p.nationalCode}>
                <a href={`/thu-tuc/${p.nationalCode}`}>{p.name}</a>
                <p class="meta">
                  Mã {p.nationalCode} · {p.sector ?? 'Chưa phân lĩnh vực'} · {p.levels.map((l) => levelLabels[l] ?? l).join(', ')} · Trực tuyến:{' '}
                  {onlineLevelLabels[p.onlineLevel]} · Thời hạn: {p.processingTime.text}
                </p>
              </li>
            ))}
          </ul>
          <OffsetPagination offset={result.offset} limit={result.limit} total={result.total} href={(offset) => pageLink(filters, offset)} />
        </section>
      ) : null}
    </Layout>
  );
}
