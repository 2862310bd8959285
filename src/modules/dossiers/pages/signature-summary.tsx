import { signatureProblemVi, type SignatureProblem } from '../../../platform/signing/pdf-signatures.ts';
import { formatDateTime } from '../../../web/format.ts';
import type { SignatureView } from '../schema.ts';

const nameOf = (n: { commonName: string | null; organisation: string | null } | null) => (n ? [n.commonName, n.organisation].filter((x) => x).join(', ') || '—' : '—');
const problemOf = (p: string | null) => (p && p in signatureProblemVi ? signatureProblemVi[p as SignatureProblem] : 'không xác minh được');

/**
 * What a PDF's signatures were found to be: valid, invalid (and why) or none; for each, who signed, when, who issued
 * the certificate, and — a separate fact — whether that certificate chains to the trust list.
 */
export function SignatureSummary(props: { signature: SignatureView; mediaType: string }) {
  const s = props.signature;
  if (props.mediaType !== 'application/pdf') return null;
  if (s.status === 'unsigned') return <span class="signature signature-none">Không có chữ ký số.</span>;
  if (s.status === 'unchecked') return <span class="signature signature-none">Chữ ký số chưa được kiểm tra (tệp tải lên trước khi có chức năng xác minh).</span>;
  return (
    <ul class="signature-list">
      {s.signatures.map((x, i) => (
        <li key={`${i}-${x.signedAt ?? ''}`} class={x.status === 'valid' ? 'signature signature-valid' : 'signature signature-invalid'}>
          {x.status === 'valid' ? <strong>Chữ ký số hợp lệ</strong> : <strong>Chữ ký số KHÔNG hợp lệ: {problemOf(x.problem)}</strong>}. Người ký: {nameOf(x.signer)}; thời điểm ký: {x.signedAt ? formatDateTime(new Date(x.signedAt)) : '—'}; tổ chức cấp chứng thư số: {nameOf(x.issuer)}.{' '}
          {x.status === 'valid' ? (x.trusted ? 'Chứng thư số thuộc danh sách tin cậy.' : 'Chứng thư số KHÔNG thuộc danh sách tin cậy đã cấu hình: chưa xác nhận được tổ chức cấp.') : null}
        </li>
      ))}
    </ul>
  );
}
