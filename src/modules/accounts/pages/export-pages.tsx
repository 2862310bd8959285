import type { ExportView } from '../../../platform/exports/index.ts';
import { formatDateTime } from '../../../web/format.ts';
import { Layout, TableWrap } from '../../../web/layout.tsx';
import type { PageContext } from '../../../web/page-context.ts';

const statusVi = { queued: 'Đang chờ xuất', running: 'Đang xuất', done: 'Đã xuất xong', failed: 'Xuất không thành công' } as const;
const count = (n: number) => n.toLocaleString('vi-VN');
const size = (bytes: number) => (bytes < 1024 * 1024 ? `${count(Math.max(1, Math.round(bytes / 1024)))} KB` : `${(bytes / (1024 * 1024)).toLocaleString('vi-VN', { maximumFractionDigits: 1 })} MB`);

/** How far an export has come, in words: "12.000 / 250.000 dòng (5 %)". */
export function progressText(v: ExportView): string {
  if (v.status === 'done') return `${count(v.rowsDone)} dòng${v.byteSize === null ? '' : `, ${size(v.byteSize)}`}`;
  if (v.status === 'failed') return 'Đã thử lại nhiều lần nhưng không xuất được.';
  if (v.rowsTotal === null) return v.status === 'queued' ? 'Chờ đến lượt.' : 'Đang đếm số dòng…';
  const share = v.rowsTotal === 0 ? 100 : Math.floor((100 * v.rowsDone) / v.rowsTotal);
  return `${count(v.rowsDone)} / ${count(v.rowsTotal)} dòng (${share} %)`;
}

/** One export: its state and progress while it is written (the page follows it by itself), then the download. */
export function ExportPage(props: { ctx: PageContext; view: ExportView }) {
  const v = props.view;
  const open = v.status === 'queued' || v.status === 'running';
  return (
    <Layout ctx={props.ctx} title={v.title}>
      <h1>{v.title}</h1>
      <div id="export" data-status-url={`/api/v1/exports/${v.id}`} data-open={open ? 'true' : 'false'}>
        <p>
          Trạng thái: <strong id="export-status">{statusVi[v.status]}</strong>
        </p>
        <p>
          <label for="export-progress">Tiến độ</label>{' '}
          <progress id="export-progress" max={Math.max(1, v.rowsTotal ?? 1)} value={v.status === 'done' ? Math.max(1, v.rowsTotal ?? 1) : v.rowsDone}>
            {progressText(v)}
          </progress>{' '}
          <span id="export-progress-text" aria-live="polite">
            {progressText(v)}
          </span>
        </p>
        {v.status === 'done' ? (
          <p>
            <a class="button" href={`/tai-ve/${v.id}/tep`} download={v.fileName}>
              Tải tệp về ({v.fileName})
            </a>
          </p>
        ) : null}
        {open ? (
          <p>
            Tệp được xuất ở chế độ nền: có thể rời trang này và quay lại sau tại <a href="/tai-ve">Tệp đã xuất</a>. <a href={`/tai-ve/${v.id}`}>Cập nhật tiến độ</a>
          </p>
        ) : null}
        {v.status === 'failed' ? <p role="alert">Không xuất được tệp này. Vui lòng yêu cầu xuất lại; nếu vẫn lỗi, hãy báo quản trị viên.</p> : null}
      </div>
      <p>
        Yêu cầu lúc {formatDateTime(v.requestedAt)}; tệp được giữ đến {formatDateTime(v.expiresAt)}.
      </p>
      {open ? <script src="/assets/export-progress.js" defer /> : null}
    </Layout>
  );
}

/** The files the user asked to be exported and are still kept. */
export function ExportListPage(props: { ctx: PageContext; exports: readonly ExportView[] }) {
  return (
    <Layout ctx={props.ctx} title="Tệp đã xuất">
      <h1>Tệp đã xuất</h1>
      <p>Các tệp bạn đã yêu cầu xuất (sổ theo dõi, số liệu …), được giữ 7 ngày.</p>
      {props.exports.length === 0 ? (
        <p>Chưa có tệp nào.</p>
      ) : (
        <TableWrap label="Tệp đã xuất">
          <table>
            <thead>
              <tr>
                <th scope="col">Tệp</th>
                <th scope="col">Yêu cầu lúc</th>
                <th scope="col">Trạng thái</th>
                <th scope="col">Tiến độ</th>
                <th scope="col">Tải về</th>
              </tr>
            </thead>
            <tbody>
              {props.exports.map((v) => (
                <tr key={v.id}>
                  <td>
                    <a href={`/tai-ve/${v.id}`}>{v.title}</a>
                  </td>
                  <td>{formatDateTime(v.requestedAt)}</td>
                  <td>{statusVi[v.status]}</td>
                  <td>{progressText(v)}</td>
                  <td>{v.status === 'done' ? <a href={`/tai-ve/${v.id}/tep`}>Tải về<span class="visually-hidden"> {v.title}</span></a> : '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      )}
    </Layout>
  );
}
