import type { Content, TDocumentDefinitions } from 'pdfmake/interfaces.js';
import { formatClockDate, formatDateWords } from '../../web/format.ts';
import type { ProcessingTime } from '../procedures/index.ts';
import type { Letterhead } from '../directory/index.ts';
import type { ChosenForm } from './form-templates.ts';

const upper = (s: string) => s.toLocaleUpperCase('vi');
// pdfmake lays nodes out in place, so every document gets new ones.
const rule = (): Content => ({ canvas: [{ type: 'line', x1: 40, y1: 2, x2: 110, y2: 2, lineWidth: 0.5 }], alignment: 'center' });

/**
 * The head every one-stop form shares (NĐ 30/2020 Phụ lục I layout, as the forms of TT 01/2018 and TT 03/2025 use
 * it): upper left, the governing body and below it, bold, the issuing unit; upper right, the national name and motto;
 * then the place and date line, the form's number and instrument, and its title.
 */
export function formHead(head: Letterhead, form: ChosenForm, dated: Date, subtitle?: string): Content[] {
  const left: Content[] = [...(head.governingBody ? [{ text: upper(head.governingBody), fontSize: 8 }] : []), { text: upper(head.unitName), bold: true, fontSize: 8 }, rule()];
  return [
    { text: `Mẫu số ${form.number} (${form.reference})`, italics: true, fontSize: 7, alignment: 'right', margin: [0, 0, 0, 4] },
    {
      columns: [
        { width: '45%', stack: left, alignment: 'center' },
        { width: '55%', stack: [{ text: 'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM', bold: true, fontSize: 8 }, { text: 'Độc lập - Tự do - Hạnh phúc', bold: true, fontSize: 8 }, rule()], alignment: 'center' },
      ],
      columnGap: 6,
    },
    { text: `${head.placeName ?? '……'}, ${formatDateWords(dated)}`, italics: true, fontSize: 9, alignment: 'right', margin: [0, 6, 0, 0] },
    { text: form.title, bold: true, fontSize: 11, alignment: 'center', margin: [0, 10, 0, subtitle ? 2 : 8] },
    ...(subtitle ? [{ text: subtitle, bold: true, alignment: 'center', margin: [0, 0, 0, 8] } as Content] : []),
  ];
}

/** A labelled line; a missing value prints as the template's dots, to be filled in by hand. */
export const line = (label: string, value: string | null | undefined, options: { bold?: boolean } = {}): Content => ({
  text: [`${label}: `, { text: value && value.trim() !== '' ? value : '………………………………', bold: options.bold ?? false }],
  margin: [0, 3, 0, 0],
});

export const paragraph = (text: string | Content[], margin: [number, number, number, number] = [0, 5, 0, 0]): Content => ({ text, margin, alignment: 'justify' });

/** A signature block: who signs, how, and the name of the person, when known. */
export const signature = (role: string, how: string, name?: string | null): Content => ({
  stack: [{ text: role, bold: true }, { text: `(${how})`, italics: true, fontSize: 8 }, { text: name ?? '', margin: [0, 28, 0, 0], bold: true }],
  alignment: 'center',
  fontSize: 9,
});

/** Who drew up a form signed by the head of the agency, when an official did. */
export const preparedBy = (e: { readonly byOfficial: boolean; readonly actor: string }): Content =>
  e.byOfficial ? { stack: [{ text: 'Người lập:', italics: true }, { text: e.actor, bold: true }], fontSize: 8 } : { text: '' };

export const signatures = (...blocks: Content[]): Content => ({ columns: blocks.map((b) => ({ width: '*', stack: [b] })), margin: [0, 12, 0, 0] });

export const when = (d: Date | string | null | undefined): string | null => (d ? formatClockDate(new Date(d)) : null);

const unitsVi: Record<string, string> = { working_day: 'ngày làm việc', day: 'ngày', hour: 'giờ làm việc', month: 'tháng', year: 'năm' };

/** The legal time limit of the procedure, as the receipt states it ("05 ngày làm việc"). */
export function legalTime(p: ProcessingTime): string | null {
  if (p.value === null || p.unit === null) return null;
  const n = Number.isInteger(p.value) ? String(p.value).padStart(2, '0') : String(p.value).replace('.', ',');
  return `${n} ${unitsVi[p.unit] ?? p.unit}`;
}

/** A one-stop form on A5 (TT 01/2018 Art. 9; the same size for TT 03/2025's forms). */
export function a5Form(title: string, content: Content[]): TDocumentDefinitions {
  return { pageSize: 'A5', pageOrientation: 'portrait', pageMargins: [32, 28, 32, 28], info: { title, creator: 'CQS' }, defaultStyle: { fontSize: 9.5 }, content };
}
