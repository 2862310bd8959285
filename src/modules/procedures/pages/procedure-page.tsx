import '../permissions.ts';
import { hasPermissionAnywhere } from '../../../platform/auth/permissions.ts';
import { formatIsoDate, formatVnd } from '../../../web/format.ts';
import { Layout, TableWrap } from '../../../web/layout.tsx';
import type { PageContext } from '../../../web/page-context.ts';
import { channelLabels, levelLabels, onlineLevelLabels } from '../labels.ts';
import type { ProcedureDetail } from '../schema.ts';

function feeText(fee: { label: string; amountVnd: number | null }): string {
  if (fee.amountVnd === 0) return 'Miễn phí';
  return fee.amountVnd === null ? fee.label : formatVnd(fee.amountVnd);
}

function Paragraphs({ text }: { text: string | null }) {
  return text ? <pre class="text">{text}</pre> : <p>Chưa có thông tin.</p>;
}

export function ProcedurePage(props: { ctx: PageContext; p: ProcedureDetail; onlineSubmission: boolean }) {
  const { p } = props;
  const isCurrent = p.validTo === null;
  return (
    <Layout ctx={props.ctx} title={p.name.slice(0, 120)}>
      <p>
        <a href="/thu-tuc">← Danh sách thủ tục</a>
      </p>
      <h1>{p.name}</h1>
      {hasPermissionAnywhere(props.ctx.user, 'procedures.manage') && isCurrent ? (
        <p>
          <a href={`/quan-tri/thu-tuc/${p.nationalCode}/cau-hinh`}>Cấu hình giấy tờ và quy trình xử lý</a>
        </p>
      ) : null}
      {isCurrent ? null : (
        <div class="notice" role="note">
          Đây là phiên bản {p.versionNo}, đã hết hiệu lực từ {formatIsoDate(p.validTo ?? '')}. <a href={`/thu-tuc/${p.nationalCode}`}>Xem phiên bản hiện hành</a>.
        </div>
      )}
      {props.onlineSubmission && isCurrent ? (
        <p>
          <a class="button" href={`/dich-vu-cong/nop/${p.nationalCode}`}>
            Nộp hồ sơ trực tuyến
          </a>
        </p>
      ) : null}
      <dl class="summary">
        <dt>Mã thủ tục</dt>
        <dd>{p.nationalCode}</dd>
        <dt>Lĩnh vực</dt>
        <dd>{p.sector ?? 'Chưa có thông tin'}</dd>
        <dt>Cấp thực hiện</dt>
        <dd>{p.levels.map((l) => levelLabels[l] ?? l).join(', ') || 'Chưa có thông tin'}</dd>
        <dt>Cơ quan có thẩm quyền</dt>
        <dd>{p.decidingAgency ?? 'Chưa có thông tin'}</dd>
        <dt>Cơ quan thực hiện</dt>
        <dd>{p.implementingAgency ?? 'Chưa có thông tin'}</dd>
        <dt>Đối tượng thực hiện</dt>
        <dd>{p.applicants ?? 'Chưa có thông tin'}</dd>
        <dt>Cách thức nộp</dt>
        <dd>{p.channels.map((c) => channelLabels[c] ?? c).join(', ') || 'Chưa có thông tin'}</dd>
        <dt>Dịch vụ công trực tuyến</dt>
        <dd>{onlineLevelLabels[p.onlineLevel]}</dd>
        <dt>Thời hạn giải quyết</dt>
        <dd>{p.processingTime.text}</dd>
        <dt>Phí, lệ phí</dt>
        <dd>{p.fees.length > 0 ? p.fees.map(feeText).join('; ') : 'Chưa có thông tin'}</dd>
        <dt>Quyết định công bố</dt>
        <dd>{p.decisionRef ?? 'Chưa có thông tin'}</dd>
        <dt>Phiên bản</dt>
        <dd>
          {p.versionNo}, hiệu lực từ {formatIsoDate(p.validFrom)}
        </dd>
      </dl>
      <h2>Thành phần hồ sơ</h2>
      {p.documents.length === 0 ? (
        <p>Chưa có danh sách giấy tờ chi tiết cho thủ tục này.</p>
      ) : (
        <TableWrap label="Thành phần hồ sơ">
          <table>
            <caption class="visually-hidden">Giấy tờ cần chuẩn bị</caption>
            <thead>
              <tr>
                <th scope="col">Giấy tờ</th>
                <th scope="col">Số lượng</th>
                <th scope="col">Loại bản</th>
              </tr>
            </thead>
            <tbody>
              {p.documents.map((d, i) => (
                <tr key={i}>
                  <td>
                    {d.group ? <span class="meta">{d.group}: </span> : null}
                    {d.name}
                  </td>
                  <td>{d.copies ?? ''}</td>
                  <td>{d.copyType ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      )}
      <h2>Trình tự thực hiện</h2>
      <Paragraphs text={p.steps} />
      <h2>Yêu cầu, điều kiện</h2>
      <Paragraphs text={p.requirements} />
      <h2>Kết quả thực hiện</h2>
      <Paragraphs text={p.result} />
      <h2>Căn cứ pháp lý</h2>
      {p.legalBasis.length === 0 ? (
        <p>Chưa có thông tin.</p>
      ) : (
        <ul>
          {p.legalBasis.map((l) => (
            <li key={`${l.number}-${l.title}`}>
              {l.number} {l.title}
            </li>
          ))}
        </ul>
      )}
      {p.versions.length > 1 ? (
        <>
          <h2>Các phiên bản</h2>
          <ul>
            {p.versions.map((v) => (
              <li key={v.versionNo}>
                <a href={`/thu-tuc/${p.nationalCode}/phien-ban/${v.versionNo}`}>Phiên bản {v.versionNo}</a>
                {v.origin === 'setup' ? ' (tỉnh điều chỉnh giấy tờ, biểu mẫu hoặc quy trình xử lý)' : ''}: từ {formatIsoDate(v.validFrom)}
                {v.validTo ? ` đến ${formatIsoDate(v.validTo)}` : ' (hiện hành)'}
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </Layout>
  );
}
