import { AppError } from '../../platform/errors.ts';
import type { UploadedFile } from '../../platform/http/multipart.ts';
import type { ImportKind } from './import-procedures.ts';

const fileError = (messageVi: string, messageEn: string) =>
  AppError.validation([{ field: 'file', code: 'file_type', messageVi, messageEn }]);

/**
 * Decides what an uploaded catalogue file is from its content, not from the client's name or MIME type: it must be
 * UTF-8 text without NUL bytes, and a JSON array or a CSV whose first line has the catalogue's columns.
 */
export async function sniffCatalogueFile(file: UploadedFile | undefined): Promise<{ kind: ImportKind; text: string }> {
  if (!file || file.size === 0) throw AppError.validation([{ field: 'file', code: 'required', messageVi: 'Vui lòng chọn tệp.', messageEn: 'Choose a file.' }]);
  if (file.truncated) {
    throw new AppError('payload_too_large', { fieldErrors: [{ field: 'file', code: 'too_large', messageVi: 'Tệp vượt quá 10 MB.', messageEn: 'The file exceeds 10 MB.' }] });
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(await file.read());
  } catch {
    throw fileError('Tệp không phải văn bản UTF-8 (CSV hoặc JSON).', 'Not UTF-8 text.');
  }
  if (text.includes('\u0000')) throw fileError('Tệp chứa dữ liệu nhị phân, không phải CSV hoặc JSON.', 'Binary content.');
  const body = text.replace(/^\uFEFF/, '').trimStart();
  const lower = file.filename.toLowerCase();
  if (body.startsWith('[') && lower.endsWith('.json')) return { kind: 'detailed', text: body };
  if (lower.endsWith('.csv') && /^ma_thu_tuc,/.test(body)) return { kind: 'catalogue', text: body };
  throw fileError(
    'Chỉ nhận tệp danh mục .csv (dòng đầu bắt đầu bằng "ma_thu_tuc,") hoặc .json (danh sách thủ tục).',
    'Only a catalogue .csv or a .json array is accepted.',
  );
}
