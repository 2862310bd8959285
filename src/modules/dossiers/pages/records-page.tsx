import { formatDate } from '../../../web/format.ts';
import { Layout, TableWrap } from '../../../web/layout.tsx';
import type { PageContext } from '../../../web/page-context.ts';

const kindVi = { paper: 'Giấy tờ đã nộp', result: 'Kết quả giải quyết' } as const;

/** The citizen's store of digitised papers and results (kho dữ liệu điện tử), reusable when submitting again. */
export function RecordsPage(props: { ctx: PageContext; records: readonly { id: string; kind: 'paper' | 'result'; title: string; fileName: string; dossierCode: string | null; sizeBytes: number; createdAt: string }[] }) {
  return (
    <Layout ctx={props.ctx} title="Kho giấy tờ đã số hóa">
      <h1>Kho giấy tờ đã số hóa</h1>
      <p>Giấy tờ bạn đã nộp và kết quả đã nhận. Khi nộp hồ sơ mới, bạn có thể chọn lại các giấy tờ này thay vì tải lên lần nữa.</p>
      {props.records.length === 0 ? (
        <p>Chưa có giấy tờ nào.</p>
      ) : (
        <TableWrap label="Danh sách giấy tờ đã số hóa">
          <table>
            <thead>
              <tr>
                <th scope="col">Giấy tờ</th>
                <th scope="col">Tên tệp</th>
                <th scope="col">Hồ sơ</th>
                <th scope="col">Loại</th>
                <th scope="col">Ngày lưu</th>
                <th scope="col">Tải về</th>
              </tr>
            </thead>
            <tbody>
              {props.records.map((r) => (
                <tr key={r.id}>
                  <td>{r.title}</td>
                  <td>{r.fileName}</td>
                  <td>{r.dossierCode ?? '—'}</td>
                  <td>{kindVi[r.kind]}</td>
                  <td>{formatDate(new Date(r.createdAt))}</td>
                  <td>
                    <a href={`/api/v1/me/records/${r.id}/file`}>Tải về ({Math.max(1, Math.round(r.sizeBytes / 1024))} KB)</a>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      )}
    </Layout>
  );
}
