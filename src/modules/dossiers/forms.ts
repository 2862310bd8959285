import type { Content, TDocumentDefinitions } from 'pdfmake/interfaces.js';
import { renderPdf } from '../../platform/pdf/render-pdf.ts';
import { formatDate, formatDateTime } from '../../web/format.ts';
import type { DossierView } from './schema.ts';
import { actionLabelsVi, type DossierStatus, statusLabelsVi } from './status.ts';

const when = (iso: string | null) => (iso ? formatDateTime(new Date(iso)) : '—');

/** The header every one-stop form shares: issuing unit, national motto, form number, title and dossier code. */
function header(org: string, formNo: string, title: string, code: string | null): Content[] {
  return [
    {
      columns: [
        { width: '*', text: org.toUpperCase(), bold: true, fontSize: 9 },
        { width: '*', stack: [{ text: 'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM', bold: true, fontSize: 8, alignment: 'center' }, { text: 'Độc lập - Tự do - Hạnh phúc', bold: true, fontSize: 9, alignment: 'center' }] },
      ],
    },
    { text: `Mẫu số ${formNo}`, italics: true, fontSize: 8, alignment: 'right', margin: [0, 6, 0, 0] },
    { text: title, bold: true, fontSize: 11, alignment: 'center', margin: [0, 8, 0, 2] },
    { text: `Mã hồ sơ: ${code ?? ''}`, bold: true, alignment: 'center', margin: [0, 0, 0, 10] },
  ];
}

const signature = (who: string): Content => ({ text: `${who}\n(Ký và ghi rõ họ tên)`, alignment: 'right', bold: true, fontSize: 8, margin: [0, 14, 0, 0] });

function a5(title: string, content: Content[]): TDocumentDefinitions {
  return { pageSize: 'A5', pageMargins: [36, 32, 36, 32], info: { title, creator: 'CQS' }, content };
}

/** The last event of an action, whose note carries what the officer wrote (missing papers, reasons). */
const noteOf = (d: DossierView, action: string) => [...d.events].reverse().find((e) => e.action === action);

/** Mẫu 02: request to supplement the dossier, once and in full. */
export function supplementRequestForm(d: DossierView): Promise<Buffer> {
  const e = noteOf(d, 'request_supplement');
  return renderPdf(
    a5(`Phiếu yêu cầu bổ sung hồ sơ ${d.code ?? ''}`, [
      ...header(d.receivingOrgUnit, '02', 'PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ', d.code),
      { text: [`Kính gửi: `, { text: d.applicantName, bold: true }] },
      { text: `Hồ sơ đề nghị giải quyết thủ tục "${d.procedureName}" cần được bổ sung, hoàn thiện những nội dung sau (hướng dẫn một lần, đầy đủ):`, margin: [0, 6, 0, 0] },
      { text: e?.note ?? '', margin: [12, 6, 0, 0] },
      { text: `Ngày yêu cầu: ${when(e?.at ?? null)}. Thời hạn giải quyết được tính lại từ khi nhận đủ hồ sơ.`, margin: [0, 6, 0, 0] },
      signature('NGƯỜI HƯỚNG DẪN'),
    ]),
  );
}

/** Mẫu 03: refusal to receive, with the reasons. */
export function refusalForm(d: DossierView): Promise<Buffer> {
  const e = noteOf(d, 'refuse');
  return renderPdf(
    a5(`Phiếu từ chối tiếp nhận ${d.code ?? ''}`, [
      ...header(d.receivingOrgUnit, '03', 'PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ', d.code),
      { text: [`Kính gửi: `, { text: d.applicantName, bold: true }] },
      { text: `${d.receivingOrgUnit} không tiếp nhận hồ sơ đề nghị giải quyết thủ tục "${d.procedureName}" với lý do:`, margin: [0, 6, 0, 0] },
      { text: e?.note ?? '', margin: [12, 6, 0, 0] },
      { text: `Ngày: ${when(e?.at ?? null)}`, margin: [0, 6, 0, 0] },
      signature('NGƯỜI TIẾP NHẬN'),
    ]),
  );
}

/**
 * Mẫu 05 (TT 03/2025): notice that the handling of a dossier stops, at the applicant's request (withdrawal) or by the
 * deciding agency (stop), before a result is issued; it names the reason.
 */
export function stopNotice(d: DossierView): Promise<Buffer> {
  const e = [...d.events].reverse().find((x) => x.action === 'stop' || x.action === 'withdraw');
  const byApplicant = e?.action === 'withdraw';
  return renderPdf(
    a5(`Thông báo dừng giải quyết hồ sơ ${d.code ?? ''}`, [
      ...header(d.decidingOrgUnit ?? d.receivingOrgUnit, '05', 'THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ', d.code),
      { text: [`Kính gửi: `, { text: d.applicantName, bold: true }] },
      {
        text: byApplicant
          ? `Theo đề nghị rút hồ sơ của Ông/Bà, ${d.decidingOrgUnit ?? d.receivingOrgUnit} thông báo dừng giải quyết hồ sơ thủ tục "${d.procedureName}".`
          : `${d.decidingOrgUnit ?? d.receivingOrgUnit} thông báo dừng giải quyết hồ sơ thủ tục "${d.procedureName}" với lý do:`,
        margin: [0, 6, 0, 0],
      },
      { text: e?.note ?? '', margin: [12, 6, 0, 0] },
      { text: `Ngày dừng giải quyết: ${when(e?.at ?? null)}. Hồ sơ đã nộp được trả lại theo yêu cầu của người nộp.`, margin: [0, 6, 0, 0] },
      signature('THỦ TRƯỞNG CƠ QUAN'),
    ]),
  );
}

/** Mẫu 06: process-control slip, one row per hand-over with its result against the due date. */
export function processControlSlip(d: DossierView): Promise<Buffer> {
  const rows = d.events.map((e) => [
    { text: e.actor, fontSize: 8 },
    { text: `${actionLabelsVi[e.action] ?? e.action}${e.detail ? ` (${e.detail})` : ''}\n${when(e.at)}`, fontSize: 8 },
    { text: statusLabelsVi[e.toStatus as DossierStatus], fontSize: 8 },
    { text: e.note ?? '', fontSize: 8 },
  ]);
  const timeliness = d.timeliness === 'early' ? 'Trước hạn' : d.timeliness === 'on_time' ? 'Đúng hạn' : d.timeliness === 'late' ? 'Quá hạn' : 'Chưa giải quyết';
  return renderPdf(
    a5(`Phiếu kiểm soát quá trình giải quyết ${d.code ?? ''}`, [
      ...header(d.receivingOrgUnit, '06', 'PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ', d.code),
      { text: `Thủ tục: ${d.procedureName}. Hẹn trả: ${when(d.dueAt)}. Kết quả: ${timeliness}.`, fontSize: 9, margin: [0, 0, 0, 6] },
      {
        table: {
          headerRows: 1,
          widths: ['auto', '*', 'auto', '*'],
          body: [[{ text: 'TÊN CƠ QUAN / NGƯỜI', bold: true, fontSize: 8 }, { text: 'THỜI GIAN GIAO, NHẬN HỒ SƠ', bold: true, fontSize: 8 }, { text: 'KẾT QUẢ', bold: true, fontSize: 8 }, { text: 'GHI CHÚ', bold: true, fontSize: 8 }], ...rows],
        },
      },
      { text: `In ngày ${formatDate(new Date())}`, italics: true, fontSize: 8, margin: [0, 8, 0, 0] },
    ]),
  );
}
