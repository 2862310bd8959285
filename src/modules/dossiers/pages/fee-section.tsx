import { formatDateTime, formatVnd } from '../../../web/format.ts';
import type { DossierView } from '../schema.ts';

const sourceVi = { fee_table: 'theo biểu phí, lệ phí của thủ tục', officer: 'do cơ quan giải quyết xác định (thủ tục chưa công bố mức phí)', override: 'khác biểu phí của thủ tục' } as const;

/** How each fee asked for was settled: through the payment gateway or at the counter, when, and by whom or what receipt. */
function settlement(p: DossierView['payments'][number]): string {
  if (p.status === 'cancelled') return 'đã thay bằng yêu cầu nộp phí sau';
  if (p.status === 'pending') return 'chờ nộp';
  const at = p.paidAt ? formatDateTime(new Date(p.paidAt)) : '—';
  if (p.method === 'online') return `đã thanh toán trực tuyến qua cổng thanh toán lúc ${at}${p.providerRef ? `, mã giao dịch ${p.providerRef}` : ''}`;
  return `đã nộp tại Bộ phận Một cửa lúc ${at}, số biên lai ${p.receiptNumber ?? '—'}${p.recordedBy ? `, người thu: ${p.recordedBy}` : ''}`;
}

export function FeeSection(props: { d: DossierView }) {
  if (props.d.payments.length === 0) return null;
  return (
    <section aria-labelledby="phi-le-phi">
      <h2 id="phi-le-phi">Phí, lệ phí</h2>
      <ul>
        {props.d.payments.map((p) => (
          <li key={p.askedAt}>
            {formatVnd(p.amountVnd)} ({sourceVi[p.amountSource]}
            {p.overrideReason ? `; lý do: ${p.overrideReason}` : ''}) — {settlement(p)}.
          </li>
        ))}
      </ul>
    </section>
  );
}

/** What the fee table of the procedure says, next to the amount an officer asks for. */
export function feeTableHint(d: DossierView): string {
  const t = d.feeTable;
  if (t.amountsVnd.length === 1) return `Theo biểu phí, lệ phí của thủ tục: ${formatVnd(t.amountsVnd[0] ?? 0)} (để trống để dùng mức này). Số tiền khác phải ghi lý do.`;
  if (t.amountsVnd.length > 1) return `Biểu phí, lệ phí của thủ tục: ${t.amountsVnd.map((a) => formatVnd(a)).join('; ')}. Số tiền khác các mức này phải ghi lý do.`;
  if (t.free) return 'Thủ tục công bố miễn phí, lệ phí: yêu cầu nộp phí phải ghi lý do.';
  return 'Thủ tục chưa công bố mức phí, lệ phí: nhập số tiền theo quy định.';
}
