import type { TDocumentDefinitions } from 'pdfmake/interfaces.js';
import { renderPdf } from '../../platform/pdf/render-pdf.ts';
import { formatDate, formatDateTime } from '../../web/format.ts';
import type { DossierView } from './schema.ts';

/** Mẫu 04 (TT 03/2025): apology and proposed new date for a dossier that will be late. A5. */
export function apologyLetter(d: DossierView, extension: { at: string; reason: string; previousDueAt: string; newDueAt: string }): Promise<Buffer> {
  const doc: TDocumentDefinitions = {
    pageSize: 'A5',
    pageMargins: [36, 32, 36, 32],
    info: { title: `Văn bản xin lỗi và hẹn lại ngày trả kết quả ${d.code ?? ''}`, creator: 'CQS' },
    content: [
      {
        columns: [
          { width: '*', text: (d.decidingOrgUnit ?? d.receivingOrgUnit).toUpperCase(), bold: true, fontSize: 9 },
          { width: '*', stack: [{ text: 'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM', bold: true, fontSize: 8, alignment: 'center' }, { text: 'Độc lập - Tự do - Hạnh phúc', bold: true, fontSize: 9, alignment: 'center' }] },
        ],
      },
      { text: 'Mẫu số 04', italics: true, fontSize: 8, alignment: 'right', margin: [0, 6, 0, 0] },
      { text: 'VĂN BẢN XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN THỜI GIAN GIẢI QUYẾT', bold: true, fontSize: 11, alignment: 'center', margin: [0, 8, 0, 10] },
      { text: [`Kính gửi: `, { text: d.applicantName, bold: true }] },
      { text: `Ngày ${formatDate(new Date(d.submittedAt))}, ${d.receivingOrgUnit} tiếp nhận hồ sơ mã ${d.code ?? ''} về thủ tục "${d.procedureName}", hẹn trả kết quả lúc ${formatDateTime(new Date(extension.previousDueAt))}.`, margin: [0, 6, 0, 0] },
      { text: `Việc giải quyết hồ sơ chưa bảo đảm đúng thời hạn vì lý do: ${extension.reason}`, margin: [0, 6, 0, 0] },
      { text: `${d.decidingOrgUnit ?? d.receivingOrgUnit} xin lỗi ông/bà vì sự chậm trễ này và hẹn trả kết quả vào lúc ${formatDateTime(new Date(extension.newDueAt))}.`, margin: [0, 6, 0, 0] },
      { text: `Ngày lập: ${formatDate(new Date(extension.at))}`, italics: true, margin: [0, 12, 0, 0] },
      { text: 'THỦ TRƯỞNG CƠ QUAN\n(Ký, ghi rõ họ tên và đóng dấu)', alignment: 'right', bold: true, fontSize: 8, margin: [0, 12, 0, 0] },
    ],
  };
  return renderPdf(doc);
}
