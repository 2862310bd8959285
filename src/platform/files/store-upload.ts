import type { Selectable } from 'kysely';
import { type Actor, recordAudit } from '../audit/audit-log.ts';
import type { Db } from '../db/database.ts';
import type { PaperMediaType, StoredFilesTable } from '../db/schema.ts';
import { AppError, type FieldError, fieldError } from '../errors.ts';
import { MAX_FILE_BYTES, type UploadedFile } from '../http/multipart.ts';
import type { FileStore } from './file-store.ts';
import { hasPdfSignature, looksExecutable, sniffPaperType } from './sniff.ts';

export type StoredFile = Selectable<StoredFilesTable>;

/** A display name for a stored file: the client's base name without path or control characters, never trusted. */
export function safeFileName(raw: string, mediaType: PaperMediaType): string {
  const base = raw.split(/[\\/]/).pop() ?? '';
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is removed here
  const clean = base.replace(/[\u0000-\u001f\u007f"<>|:*?]/g, '').trim().slice(0, 150);
  const ext = mediaType === 'application/pdf' ? '.pdf' : mediaType === 'image/png' ? '.png' : '.jpg';
  if (clean === '') return `tep${ext}`;
  return /\.[a-z0-9]{2,5}$/i.test(clean) ? clean.replace(/\.[a-z0-9]{2,5}$/i, ext) : `${clean}${ext}`;
}

/** Why an upload cannot be a paper, or `null`; the message names the file so several problems read apart. */
export function uploadProblem(field: string, file: UploadedFile): FieldError | null {
  const name = file.filename || 'tệp';
  if (file.data.length === 0) return fieldError(field, 'empty', `Tệp "${name}" rỗng.`, 'The file is empty.');
  if (file.truncated) return fieldError(field, 'too_large', `Tệp "${name}" vượt quá ${MAX_FILE_BYTES / 1024 / 1024} MB.`, 'The file is too large.');
  if (looksExecutable(file.data)) return fieldError(field, 'file_type', `Tệp "${name}" là chương trình máy tính, không phải giấy tờ; chỉ nhận PDF, JPG, PNG.`, 'Executables are refused.');
  if (!sniffPaperType(file.data)) return fieldError(field, 'file_type', `Tệp "${name}" không phải PDF, JPG hoặc PNG (kiểm tra theo nội dung tệp, không theo tên).`, 'Only PDF, JPEG and PNG are accepted.');
  return null;
}

/**
 * Keeps an uploaded paper: the bytes go to the content-addressed store first, then the row and its audit event are
 * written in one transaction, so a crash leaves at most an unreferenced blob, never a row without content.
 */
export async function storeUpload(db: Db, store: FileStore, actor: Actor, uploaderId: string, field: string, file: UploadedFile): Promise<StoredFile> {
  const problem = uploadProblem(field, file);
  const mediaType = sniffPaperType(file.data);
  if (problem || !mediaType) throw AppError.validation([problem ?? fieldError(field, 'file_type', 'Tệp không hợp lệ.', 'Invalid file.')]);
  const sha256 = await store.put(file.data);
  return db.transaction().execute(async (tx) => {
    const row = await tx
      .insertInto('stored_files')
      .values({ sha256, size_bytes: file.data.length, media_type: mediaType, file_name: safeFileName(file.filename, mediaType), has_signature: mediaType === 'application/pdf' && hasPdfSignature(file.data), uploaded_by: uploaderId })
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordAudit(tx, actor, { action: 'file.uploaded', entityType: 'stored_file', entityId: row.id, after: { sha256, sizeBytes: row.size_bytes, mediaType, fileName: row.file_name } });
    return row;
  });
}

/** Stores every file of a form, collecting each problem under its field instead of stopping at the first. */
export async function storeUploads(db: Db, store: FileStore, actor: Actor, uploaderId: string, uploads: readonly { field: string; file: UploadedFile }[]) {
  const stored: { field: string; file: StoredFile }[] = [];
  const errors: FieldError[] = [];
  for (const u of uploads) {
    const problem = uploadProblem(u.field, u.file);
    if (problem) errors.push(problem);
    else stored.push({ field: u.field, file: await storeUpload(db, store, actor, uploaderId, u.field, u.file) });
  }
  return { stored, errors };
}
