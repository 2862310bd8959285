import type { Content } from 'pdfmake/interfaces.js';
import { renderPdf } from '../../platform/pdf/render-pdf.ts';
import { formatDate } from '../../web/format.ts';
import { type FormFacts, lastEvent } from './form-facts.ts';
import { a5Form, formHead, line, paragraph, preparedBy, signature, signatures, when } from './form-layout.ts';
import type { ChosenForm } from './form-templates.ts';

/**
 * The apology for a dossier that will be late (Mẫu 04), from the deciding unit: the reason, and the one new date —
 * offered as a new appointment under TT 01/2018 ("Phiếu xin lỗi và hẹn lại ngày trả kết quả"), as a proposed
 * extension of the time under TT 03/2025 ("Văn bản xin lỗi và đề nghị gia hạn thời gian giải quyết").
 */
export function apologyLetter(facts: FormFacts, form: ChosenForm): Promise<Buffer> {
  const e = lastEvent(facts, 'extend');
  const extension = facts.d.extension;
  if (!e || !extension) throw new Error('apology printed without an extension');
  const issuer = facts.deciding ?? facts.receiving;
  const unit = issuer.unitName;
  const newDue = when(extension.newDueAt);
  const offer =
    form.apologyAsks === 'extension'
      ? `${unit} xin lỗi Ông/Bà và đề nghị gia hạn thời gian giải quyết hồ sơ đến ${newDue}.`
      : `${unit} xin lỗi Ông/Bà và hẹn lại ngày trả kết quả giải quyết hồ sơ vào ${newDue}.`;
  const content: Content[] = [
    ...formHead(issuer, form, e.at),
    { text: [{ text: 'Kính gửi: ' }, { text: facts.applicant.name, bold: true }] },
    line('Địa chỉ', facts.applicant.address),
    line('Số điện thoại', facts.applicant.phone),
    paragraph(`Ngày ${formatDate(new Date(facts.d.receivedAt ?? facts.d.submittedAt))}, ${facts.receiving.unitName} tiếp nhận hồ sơ của Ông/Bà, mã hồ sơ ${facts.d.code ?? ''}.`),
    line('Nội dung yêu cầu giải quyết', facts.d.procedureName),
    line('Thời hạn trả kết quả đã hẹn', when(extension.previousDueAt)),
    paragraph(`Việc giải quyết hồ sơ của Ông/Bà chưa bảo đảm thời hạn như đã hẹn vì lý do:`),
    { text: extension.reason, bold: true, margin: [12, 3, 0, 0] },
    paragraph(`Sự chậm trễ này đã gây phiền hà cho Ông/Bà. ${offer}`),
    paragraph('Mong nhận được sự thông cảm của Ông/Bà./.'),
    signatures(preparedBy(e), signature('THỦ TRƯỞNG CƠ QUAN', 'Ký, ghi rõ họ tên và đóng dấu')),
  ];
  return renderPdf(a5Form(`${form.title} ${facts.d.code ?? ''}`, content));
}
