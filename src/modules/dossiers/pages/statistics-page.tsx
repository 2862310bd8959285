import type { FormErrors } from '../../../web/form.tsx';
import { PeriodForm } from './period-form.tsx';
import { Layout, TableWrap } from '../../../web/layout.tsx';
import type { PageContext } from '../../../web/page-context.ts';
import type { UnitStatistics } from '../statistics.ts';
import { statisticsColumns } from '../statistics-export.ts';

const cell = (v: unknown, percent?: boolean) => (v === null ? '—' : percent ? `${(Number(v) * 100).toFixed(1).replace('.', ',')} %` : typeof v === 'number' ? v.toLocaleString('vi-VN') : String(v));

export function StatisticsPage(props: { ctx: PageContext; period: { from: string; to: string }; result: { rows: readonly UnitStatistics[]; total: UnitStatistics } | null; errors: FormErrors; register: boolean }) {
  const q = new URLSearchParams(props.period).toString();
  return (
    <Layout ctx={props.ctx} title="Thống kê hồ sơ">
      <h1>Thống kê giải quyết hồ sơ</h1>
      <PeriodForm action="/thong-ke/ho-so" period={props.period} errors={props.errors} />
      {props.result ? (
        <>
          <p>
            <a href={`/thong-ke/ho-so.xlsx?${q}`}>Tải bảng thống kê (Excel)</a>
            {props.register ? (
              <>
                {' · '}
                <a href={`/mot-cua/so-theo-doi?${q}`}>Sổ theo dõi hồ sơ (Mẫu 07) của cùng khoảng thời gian</a>
              </>
            ) : null}
          </p>
          <TableWrap label="Thống kê theo cơ quan giải quyết">
            <table>
              <thead>
                <tr>
                  {statisticsColumns.map((c) => (
                    <th key={c.key} scope="col">
                      {c.header}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {[...props.result.rows, props.result.total].map((s) => (
                  <tr key={s.orgUnitId || 'total'}>
                    {statisticsColumns.map((c) => (
                      <td key={c.key}>{cell(s[c.key], c.percent)}</td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
        </>
      ) : null}
    </Layout>
  );
}
