import type { FormErrors } from '../../../web/form.tsx';
import { PeriodForm } from './period-form.tsx';
import { formatDateTime } from '../../../web/format.ts';
import { CsrfField, Layout, TableWrap } from '../../../web/layout.tsx';
import type { PageContext } from '../../../web/page-context.ts';
import { channelVi, type RegisterRow, timelinessVi } from '../register-export.ts';
import { statusLabelsVi } from '../status.ts';

const when = (d: Date | null) => (d ? formatDateTime(d) : '—');

/** The dossier register (sổ theo dõi hồ sơ, Mẫu 07) of the user's units for a period, and its Excel export. */
export function RegisterPage(props: { ctx: PageContext; period: { from: string; to: string }; result: { rows: readonly RegisterRow[]; total: number } | null; errors: FormErrors }) {
  const result = props.result;
  return (
    <Layout ctx={props.ctx} title="Sổ theo dõi hồ sơ">
      <h1>Sổ theo dõi hồ sơ (Mẫu 07)</h1>
      <PeriodForm action="/mot-cua/so-theo-doi" period={props.period} errors={props.errors} />
      {result ? (
        <>
          <p>
            {result.total === 0 ? 'Không có hồ sơ nào được tiếp nhận trong khoảng thời gian này.' : `${result.total.toLocaleString('vi-VN')} hồ sơ được tiếp nhận trong khoảng thời gian này${result.total > result.rows.length ? `; trang này hiện ${result.rows.length} hồ sơ đầu tiên, tệp Excel có đủ tất cả` : ''}.`}
          </p>
          <form method="post" action="/mot-cua/so-theo-doi/xuat" class="actions">
            <CsrfField ctx={props.ctx} />
            <input type="hidden" name="from" value={props.period.from} />
            <input type="hidden" name="to" value={props.period.to} />
            <button type="submit" class="button">
              Xuất sổ theo dõi (Excel)
            </button>{' '}
            <a href="/tai-ve">Các tệp đã xuất</a>
          </form>
          {result.rows.length > 0 ? (
            <TableWrap label="Sổ theo dõi hồ sơ">
              <table>
                <thead>
                  <tr>
                    <th scope="col">STT</th>
                    <th scope="col">Mã hồ sơ</th>
                    <th scope="col">Thủ tục</th>
                    <th scope="col">Người nộp</th>
                    <th scope="col">Kênh</th>
                    <th scope="col">Cơ quan giải quyết</th>
                    <th scope="col">Ngày nhận</th>
                    <th scope="col">Hẹn trả</th>
                    <th scope="col">Ngày trả kết quả</th>
                    <th scope="col">Trạng thái</th>
                    <th scope="col">Kết quả</th>
                  </tr>
                </thead>
                <tbody>
                  {result.rows.map((r, i) => (
                    <tr key={`${r.code ?? ''}-${i}`}>
                      <td>{i + 1}</td>
                      <td>{r.code ?? 'Chưa cấp mã'}</td>
                      <td>{r.procedureName}</td>
                      <td>{r.applicantName}</td>
                      <td>{channelVi[r.channel]}</td>
                      <td>{r.deciding ?? '—'}</td>
                      <td>{when(r.receivedAt)}</td>
                      <td>{when(r.dueAt)}</td>
                      <td>{when(r.returnedAt)}</td>
                      <td>{statusLabelsVi[r.status]}</td>
                      <td>{r.timeliness ? timelinessVi[r.timeliness] : '—'}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableWrap>
          ) : null}
        </>
      ) : null}
    </Layout>
  );
}
