import type { Content } from 'pdfmake/interfaces.js';
import { renderPdf } from '../../platform/pdf/render-pdf.ts';
import { formatDate } from '../../web/format.ts';
import { type FormEvent, type FormFacts, lastEvent } from './form-facts.ts';
import { a5Form, formHead, line, paragraph, preparedBy, signature, signatures, when } from './form-layout.ts';
import type { ChosenForm } from './form-templates.ts';
import { DossierStatus } from './status.ts';

// Every one of these forms records an event the route has checked is on the timeline (printable-forms.ts).
const required = (e: FormEvent | undefined): FormEvent => {
  if (!e) throw new Error('form printed without its event');
  return e;
};

/** Who the form is addressed to: the applicant, their address and phone. */
const addressee = (facts: FormFacts): Content[] => [
  { text: [{ text: 'Kính gửi: ' }, { text: facts.applicant.name, bold: true }], margin: [0, 0, 0, 2] },
  line('Địa chỉ', facts.applicant.address),
  line('Số điện thoại', facts.applicant.phone),
];

const reason = (note: string | null): Content => ({ text: note ?? '', margin: [12, 3, 0, 0], bold: true });

/**
 * The supplement request (Mẫu 02), once and in full: at reception it comes from the counter, after appraisal from the
 * deciding unit; what is missing and why, who to ask, and that the time restarts once the dossier is complete.
 */
export function supplementRequestForm(facts: FormFacts, form: ChosenForm): Promise<Buffer> {
  const e = required(lastEvent(facts, 'request_supplement'));
  const atReception = e.fromStatus === DossierStatus.submitted;
  const issuer = atReception ? facts.receiving : (facts.deciding ?? facts.receiving);
  const contact = `${e.byOfficial ? e.actor : issuer.unitName}${e.actorPhone ? `, số điện thoại ${e.actorPhone}` : ''}`;
  const content: Content[] = [
    ...formHead(issuer, form, e.at, `Mã hồ sơ: ${facts.d.code ?? ''}`),
    { text: [{ text: 'Hồ sơ của: ' }, { text: facts.applicant.name, bold: true }] },
    line('Địa chỉ', facts.applicant.address),
    line('Số điện thoại', facts.applicant.phone),
    line('Nội dung yêu cầu giải quyết', facts.d.procedureName),
    line(atReception ? 'Ngày nộp hồ sơ' : 'Ngày tiếp nhận hồ sơ', formatDate(new Date(facts.d.receivedAt ?? facts.d.submittedAt))),
    paragraph('Yêu cầu bổ sung, hoàn thiện hồ sơ gồm những nội dung sau (hướng dẫn một lần, đầy đủ):'),
    reason(e.note),
    ...(atReception ? [] : [paragraph('Thời gian giải quyết hồ sơ được tính lại từ đầu kể từ khi nhận đủ hồ sơ bổ sung, hoàn thiện.')]),
    paragraph(`Trong quá trình bổ sung, hoàn thiện hồ sơ nếu có vướng mắc, Ông/Bà liên hệ ${contact} để được hướng dẫn.`),
    line('Thời gian yêu cầu', when(e.at)),
    signatures({ text: '' }, signature('NGƯỜI HƯỚNG DẪN', 'Ký và ghi rõ họ tên', e.byOfficial ? e.actor : null)),
  ];
  return renderPdf(a5Form(`${form.title} ${facts.d.code ?? ''}`, content));
}

/** The refusal to receive (Mẫu 03): the counter states, in full, why it does not receive the dossier. */
export function refusalForm(facts: FormFacts, form: ChosenForm): Promise<Buffer> {
  const e = required(lastEvent(facts, 'refuse'));
  const unit = facts.receiving.unitName;
  const content: Content[] = [
    ...formHead(facts.receiving, form, e.at, `Mã hồ sơ: ${facts.d.code ?? ''}`),
    ...addressee(facts),
    line('Nội dung yêu cầu giải quyết', facts.d.procedureName),
    line('Ngày nộp hồ sơ', formatDate(new Date(facts.d.submittedAt))),
    paragraph(`Căn cứ quy định của thủ tục hành chính "${facts.d.procedureName}", ${unit} từ chối tiếp nhận giải quyết hồ sơ của Ông/Bà với lý do cụ thể như sau:`),
    reason(e.note),
    paragraph('Xin thông báo để Ông/Bà được biết và thực hiện./.'),
    signatures({ text: '' }, signature('NGƯỜI TIẾP NHẬN HỒ SƠ', 'Ký và ghi rõ họ tên', e.byOfficial ? e.actor : null)),
  ];
  return renderPdf(a5Form(`${form.title} ${facts.d.code ?? ''}`, content));
}

/**
 * The stop notice (Mẫu 05 of TT 03/2025). A withdrawal is the applicant's request, answered by the counter that
 * received the dossier (TT 03/2025 Art. 7); a stop is the deciding unit's own, with its reason — never worded as if
 * the applicant had asked for it.
 */
export function stopNotice(facts: FormFacts, form: ChosenForm): Promise<Buffer> {
  const e = required(lastEvent(facts, 'stop', 'withdraw'));
  const asked = e.action === 'withdraw';
  const issuer = asked ? facts.receiving : (facts.deciding ?? facts.receiving);
  const body: Content[] = asked
    ? [
        paragraph(`Ngày ${formatDate(e.at)}, ${facts.receiving.unitName} nhận được đề nghị dừng giải quyết (rút) hồ sơ nêu trên của Ông/Bà${e.note ? ', với lý do:' : '.'}`),
        ...(e.note ? [reason(e.note)] : []),
        paragraph(`Hồ sơ chưa có quyết định giải quyết. Theo đề nghị của Ông/Bà, ${issuer.unitName} thông báo dừng giải quyết hồ sơ.`),
      ]
    : [paragraph(`${issuer.unitName} thông báo dừng giải quyết hồ sơ nêu trên vì lý do sau:`), reason(e.note)];
  const content: Content[] = [
    ...formHead(issuer, form, e.at),
    ...addressee(facts),
    line('Mã hồ sơ', facts.d.code),
    line('Nội dung yêu cầu giải quyết', facts.d.procedureName),
    line('Thời gian tiếp nhận hồ sơ', when(facts.d.receivedAt)),
    ...body,
    line('Thời gian dừng giải quyết', when(e.at)),
    paragraph(`Giấy tờ bản chính đã nộp (nếu có) được trả lại Ông/Bà tại ${facts.receiving.unitName}.`),
    signatures(
      preparedBy(e),
      signature('THỦ TRƯỞNG CƠ QUAN, ĐƠN VỊ', 'Ký, ghi rõ họ tên và đóng dấu'),
    ),
  ];
  return renderPdf(a5Form(`${form.title} ${facts.d.code ?? ''}`, content));
}
