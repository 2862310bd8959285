import type { TDocumentDefinitions } from 'pdfmake/interfaces.js';
import { renderPdf } from '../../platform/pdf/render-pdf.ts';
import { formatDateTime } from '../../web/format.ts';
import type { DossierView } from './schema.ts';

const channelVi: Record<number, string> = { 1: 'trực tiếp', 2: 'trực tuyến', 3: 'qua dịch vụ bưu chính công ích' };

/**
 * Mẫu 01 (TT 03/2025/TT-VPCP Phụ lục I): receipt and appointment slip, A5, with a QR code of the look-up address so
 * the applicant can follow the dossier.
 */
export function receiptSlip(d: DossierView, lookupUrl: string): Promise<Buffer> {
  const when = (iso: string | null) => (iso ? formatDateTime(new Date(iso)) : '—');
  const doc: TDocumentDefinitions = {
    pageSize: 'A5',
    pageMargins: [36, 32, 36, 32],
    info: { title: `Giấy tiếp nhận hồ sơ ${d.code ?? ''}`, creator: 'CQS' },
    content: [
      {
        columns: [
          { width: '*', stack: [{ text: d.receivingOrgUnit.toUpperCase(), bold: true, fontSize: 9 }] },
          { width: '*', stack: [{ text: 'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM', bold: true, fontSize: 8, alignment: 'center' }, { text: 'Độc lập - Tự do - Hạnh phúc', bold: true, fontSize: 9, alignment: 'center' }] },
        ],
      },
      { text: 'Mẫu số 01', italics: true, fontSize: 8, alignment: 'right', margin: [0, 6, 0, 0] },
      { text: 'GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ', bold: true, fontSize: 12, alignment: 'center', margin: [0, 8, 0, 2] },
      { text: `Mã hồ sơ: ${d.code ?? ''}`, bold: true, alignment: 'center', margin: [0, 0, 0, 10] },
      { text: [`${d.receivingOrgUnit} tiếp nhận hồ sơ của: `, { text: d.applicantName, bold: true }] },
      { text: `Nội dung yêu cầu giải quyết: ${d.procedureName}`, margin: [0, 4, 0, 0] },
      { text: `Hình thức nộp: ${channelVi[d.channel] ?? ''}`, margin: [0, 4, 0, 0] },
      { text: `Cơ quan giải quyết: ${d.decidingOrgUnit ?? ''}`, margin: [0, 4, 0, 0] },
      { text: `Thời gian nhận hồ sơ: ${when(d.receivedAt ?? d.submittedAt)}`, margin: [0, 4, 0, 0] },
      { text: [`Thời gian trả kết quả giải quyết hồ sơ: `, { text: when(d.dueAt), bold: true }], margin: [0, 4, 0, 0] },
      {
        columns: [
          { width: 'auto', qr: lookupUrl, fit: 80 },
          { width: '*', text: `Tra cứu tình trạng hồ sơ bằng mã hồ sơ hoặc quét mã QR: ${lookupUrl}`, fontSize: 8, margin: [8, 8, 0, 0] },
        ],
        margin: [0, 12, 0, 0],
      },
      {
        columns: [
          { width: '*', text: 'NGƯỜI NỘP HỒ SƠ\n(Ký và ghi rõ họ tên)', alignment: 'center', fontSize: 8, bold: true },
          { width: '*', text: 'NGƯỜI TIẾP NHẬN HỒ SƠ\n(Ký và ghi rõ họ tên)', alignment: 'center', fontSize: 8, bold: true },
        ],
        margin: [0, 16, 0, 0],
      },
    ],
  };
  return renderPdf(doc);
}
