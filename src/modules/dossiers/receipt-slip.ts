import type { Content, TableCell } from 'pdfmake/interfaces.js';
import { renderPdf } from '../../platform/pdf/render-pdf.ts';
import { type FormFacts, lastEvent, type ReceivedPaper } from './form-facts.ts';
import { a5Form, formHead, legalTime, line, signature, signatures, when } from './form-layout.ts';
import type { ChosenForm } from './form-templates.ts';

const channelVi: Record<number, string> = { 1: 'Trực tiếp tại Bộ phận Một cửa', 2: 'Trực tuyến', 3: 'Qua dịch vụ bưu chính công ích' };

/** Where and how the result goes back: as it went, or as the channel the applicant used implies. */
export function resultReturn(facts: FormFacts): string {
  const method = facts.d.resultDelivery?.method ?? (facts.d.channel === 3 ? 'postal' : facts.d.channel === 2 ? 'online' : 'counter');
  const counter = `tại ${facts.receiving.unitName}`;
  if (method === 'postal') return `Qua dịch vụ bưu chính công ích, đến địa chỉ: ${facts.applicant.address ?? '……'}`;
  if (method === 'online') return `Trực tuyến (kết quả điện tử trên Cổng Dịch vụ công), hoặc ${counter}`;
  return `Trực tiếp ${counter}`;
}

const count = (n: number | null) => (n === null ? '' : String(n).padStart(2, '0'));

/** The papers table: each paper with its originals and copies, and what was received electronically. */
function paperTable(papers: readonly ReceivedPaper[], online: boolean): Content {
  if (papers.length === 0) return { text: 'Không có giấy tờ kèm theo.', italics: true, margin: [8, 2, 0, 0] };
  const head: TableCell[] = ['TT', 'Tên giấy tờ', 'Bản chính', 'Bản sao', 'Ghi chú'].map((h) => ({ text: h, bold: true, fontSize: 8, alignment: 'center' }));
  const rows: TableCell[][] = papers.map((p, i) => [
    { text: String(i + 1), alignment: 'center' },
    { text: p.title },
    { text: count(p.originals), alignment: 'center' },
    { text: count(p.copies), alignment: 'center' },
    { text: p.files === 0 ? '' : online ? `Bản điện tử (${p.files} tệp)` : `Đã số hóa (${p.files} tệp)`, fontSize: 7.5 },
  ]);
  return { table: { headerRows: 1, widths: [14, '*', 30, 28, 76], body: [head, ...rows] }, fontSize: 8, margin: [0, 3, 0, 0] };
}

/**
 * The receipt and appointment slip (Mẫu 01 of TT 01/2018 and of TT 03/2025), A5: who received what from whom — the
 * papers with their originals and copies and the number of sets —, the legal time limit, when it was received and
 * when and where the result is returned, signed by the applicant and the officer; with a QR code of the look-up page.
 */
export function receiptSlip(facts: FormFacts, form: ChosenForm, lookupUrl: string): Promise<Buffer> {
  const { d, receiving } = facts;
  const received = lastEvent(facts, 'receive');
  const receivedAt = d.receivedAt ? new Date(d.receivedAt) : (received?.at ?? new Date(d.submittedAt));
  const content: Content[] = [
    ...formHead(receiving, form, receivedAt),
    { text: [{ text: 'Mã hồ sơ: ' }, { text: d.code ?? '', bold: true }], alignment: 'center', margin: [0, 0, 0, 6] },
    { text: [`${receiving.unitName} tiếp nhận hồ sơ của: `, { text: facts.applicant.name, bold: true }], margin: [0, 3, 0, 0] },
    line('Địa chỉ', facts.applicant.address),
    line('Số điện thoại', facts.applicant.phone),
    line('Nội dung yêu cầu giải quyết', d.procedureName),
    line('Cơ quan giải quyết', d.decidingOrgUnit),
    line('Hình thức nộp', channelVi[d.channel]),
    { text: '1. Thành phần hồ sơ nộp gồm:', margin: [0, 5, 0, 0] },
    paperTable(facts.papers, d.channel === 2),
    line('2. Số lượng hồ sơ', `${String(facts.sets).padStart(2, '0')} (bộ)`),
    line('3. Thời gian giải quyết hồ sơ theo quy định', legalTime(facts.processing)),
    line('4. Thời gian nhận hồ sơ', when(receivedAt)),
    line('5. Thời gian trả kết quả giải quyết hồ sơ', when(facts.appointedAt ?? d.dueAt), { bold: true }),
    line('6. Nơi, hình thức trả kết quả', resultReturn(facts)),
    {
      columns: [
        { width: 'auto', qr: lookupUrl, fit: 64 },
        { width: '*', text: `Tra cứu tình trạng hồ sơ bằng mã hồ sơ hoặc quét mã QR: ${lookupUrl}`, fontSize: 7.5, margin: [8, 6, 0, 0] },
      ],
      margin: [0, 8, 0, 0],
    },
    signatures(signature('NGƯỜI NỘP HỒ SƠ', 'Ký và ghi rõ họ tên'), signature('NGƯỜI TIẾP NHẬN HỒ SƠ', 'Ký và ghi rõ họ tên', received?.actor)),
  ];
  return renderPdf(a5Form(`${form.title} ${d.code ?? ''}`, content));
}
