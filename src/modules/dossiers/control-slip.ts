import type { Content, TableCell } from 'pdfmake/interfaces.js';
import { type Timeliness, timelinessOf } from '../../platform/deadlines/deadline-clock.ts';
import { renderPdf } from '../../platform/pdf/render-pdf.ts';
import { type FormEvent, type FormFacts, lastEvent } from './form-facts.ts';
import { a5Form, formHead, legalTime, line, when } from './form-layout.ts';
import type { ChosenForm } from './form-templates.ts';
import { actionLabelsVi, type DossierStatus, statusLabelsVi } from './status.ts';

const timelinessVi: Record<Timeliness, string> = { early: 'Trước hạn', on_time: 'Đúng hạn', late: 'Quá hạn' };
const STEP_ENTRIES = ['start_processing', 'forward', 'send_back', 'provide_supplement', 'pay_fee'];
const STEP_EXITS = ['forward', 'send_back'];

/**
 * The rows of the slip, one per hand-over or step of the timeline: which agency gave and which received, when and by
 * whom, and — where a step ends — its result against that step's due instant (the decision against the dossier's).
 */
function rows(facts: FormFacts): TableCell[][] {
  let stepDue: Date | null = null;
  return facts.events.map((e: FormEvent) => {
    let result = '';
    if (STEP_EXITS.includes(e.action) && stepDue) result = timelinessVi[timelinessOf(e.at, stepDue)];
    if (e.action === 'decide' && facts.d.timeliness) result = timelinessVi[facts.d.timeliness as Timeliness] ?? '';
    const due = typeof e.data.stepDueAt === 'string' ? new Date(e.data.stepDueAt) : null;
    if (STEP_ENTRIES.includes(e.action) && due) stepDue = due;
    const from = e.byOfficial ? (e.unit ?? '') : 'Người nộp hồ sơ';
    const to = typeof e.data.stepUnit === 'string' && e.data.stepUnit !== from ? e.data.stepUnit : null;
    const agency = to ? `Giao: ${from}\nNhận: ${to}` : from;
    const step = `${actionLabelsVi[e.action] ?? e.action}${e.detail ? ` (${e.detail})` : ''}`;
    const note = [statusLabelsVi[e.toStatus as DossierStatus], e.note].filter(Boolean).join('. ');
    return [{ text: agency }, { text: `${step}\n${when(e.at) ?? ''}\nNgười thực hiện: ${e.actor}` }, { text: result, alignment: 'center' }, { text: note }];
  });
}

/**
 * The process-control slip (Mẫu 05 of TT 01/2018, Mẫu 06 of TT 03/2025), opened at reception and following the
 * dossier: the table TÊN CƠ QUAN | THỜI GIAN GIAO, NHẬN HỒ SƠ | KẾT QUẢ GIẢI QUYẾT HỒ SƠ | GHI CHÚ, one row per
 * hand-over, with each step's result (trước hạn, đúng hạn, quá hạn).
 */
export function processControlSlip(facts: FormFacts, form: ChosenForm): Promise<Buffer> {
  const { d } = facts;
  const received = lastEvent(facts, 'receive');
  const head: TableCell[] = ['TÊN CƠ QUAN', 'THỜI GIAN GIAO, NHẬN HỒ SƠ', 'KẾT QUẢ GIẢI QUYẾT HỒ SƠ (Trước hạn/đúng hạn/quá hạn)', 'GHI CHÚ'].map((h) => ({ text: h, bold: true, fontSize: 7, alignment: 'center' }));
  const content: Content[] = [
    ...formHead(facts.receiving, form, received?.at ?? new Date(d.submittedAt), `Mã hồ sơ: ${d.code ?? ''}`),
    { text: '(Kèm theo Giấy tiếp nhận hồ sơ và hẹn trả kết quả)', italics: true, alignment: 'center', fontSize: 8, margin: [0, 0, 0, 4] },
    line('Người nộp hồ sơ', facts.applicant.name),
    line('Địa chỉ', facts.applicant.address),
    line('Số điện thoại', facts.applicant.phone),
    line('Nội dung yêu cầu giải quyết', d.procedureName),
    line('Cơ quan giải quyết', d.decidingOrgUnit),
    line('Thời gian giải quyết theo quy định', legalTime(facts.processing)),
    line('Thời gian nhận hồ sơ', when(d.receivedAt)),
    line('Thời gian hẹn trả kết quả', when(d.dueAt)),
    {
      table: { headerRows: 1, widths: [72, '*', 46, 62], body: [head, ...rows(facts)] },
      fontSize: 7,
      margin: [0, 6, 0, 0],
    },
    line('Kết quả giải quyết hồ sơ', d.timeliness ? timelinessVi[d.timeliness as Timeliness] : 'Chưa giải quyết xong'),
  ];
  return renderPdf(a5Form(`${form.title} ${d.code ?? ''}`, content));
}
