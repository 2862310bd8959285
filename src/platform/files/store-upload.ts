import type { Selectable } from 'kysely';
import { type Actor, recordAudit } from '../audit/audit-log.ts';
import type { Db, DbOrTx } from '../db/database.ts';
import type { PaperMediaType, StoredFilesTable } from '../db/schema.ts';
import { AppError, type FieldError, fieldError } from '../errors.ts';
import { MAX_FILE_BYTES, type UploadedFile } from '../http/multipart.ts';
import type { FileStore } from './file-store.ts';
import { claimedPaperType, looksExecutable, MEDIA_TYPE_LABELS, sniffPaperType } from './sniff.ts';
import { verifyPdfSignatures } from '../signing/pdf-signatures.ts';

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

const displayName = (file: UploadedFile) => file.filename || 'tệp';

/** What is wrong with an upload's size, known before reading it (empty, or over the limit), or `null`. */
export function uploadProblem(field: string, file: UploadedFile): FieldError | null {
  if (file.size === 0) return fieldError(field, 'empty', `Tệp "${displayName(file)}" rỗng.`, 'The file is empty.');
  if (file.truncated) return fieldError(field, 'too_large', `Tệp "${displayName(file)}" vượt quá ${MAX_FILE_BYTES / 1024 / 1024} MB.`, 'The file is too large.');
  return null;
}

type Inspected = { readonly problem: FieldError } | { readonly problem: null; readonly data: Buffer; readonly mediaType: PaperMediaType };

/** Reads an upload and decides from its content whether it is a whole PDF, JPEG or PNG; the message names the file. */
export async function inspectUpload(field: string, file: UploadedFile): Promise<Inspected> {
  const sizeProblem = uploadProblem(field, file);
  if (sizeProblem) return { problem: sizeProblem };
  const name = displayName(file);
  const data = await file.read();
  if (looksExecutable(data)) return { problem: fieldError(field, 'file_type', `Tệp "${name}" là chương trình máy tính, không phải giấy tờ; chỉ nhận PDF, JPG, PNG.`, 'Executables are refused.') };
  const mediaType = sniffPaperType(data);
  if (mediaType) return { problem: null, data, mediaType };
  const claimed = claimedPaperType(data);
  if (claimed) {
    const label = MEDIA_TYPE_LABELS[claimed];
    return { problem: fieldError(field, 'file_type', `Tệp "${name}" không phải tệp ${label} hoàn chỉnh (bị hỏng hoặc tải lên chưa hết); vui lòng kiểm tra và gửi lại.`, `Not a complete ${label} file.`) };
  }
  return { problem: fieldError(field, 'file_type', `Tệp "${name}" không phải PDF, JPG hoặc PNG (kiểm tra theo nội dung tệp, không theo tên).`, 'Only PDF, JPEG and PNG are accepted.') };
}

const megabytes = (bytes: number) => `${Math.round((bytes / 1024 / 1024) * 10) / 10} MB`;

/**
 * Refuses a file that would take the account past its storage quota (its attached and unattached files together).
 * `lock` takes the account's row in the same statement, so that parallel uploads of one account queue on it.
 */
async function assertWithinQuota(db: DbOrTx, store: FileStore, uploaderId: string, field: string, adding: number, lock = false): Promise<void> {
  const read = db
    .selectFrom('users as u')
    .select((eb) => eb.selectFrom('stored_files as f').select((f) => f.fn.coalesce(f.fn.sum<number>('f.size_bytes'), f.lit(0)).as('s')).whereRef('f.uploaded_by', '=', 'u.id').as('used'))
    .where('u.id', '=', uploaderId);
  const row = await (lock ? read.forUpdate('u') : read).executeTakeFirst();
  const used = Number(row?.used ?? 0);
  if (used + adding <= store.quotaBytesPerAccount) return;
  const quota = megabytes(store.quotaBytesPerAccount);
  throw new AppError('payload_too_large', {
    messageVi: `Kho lưu trữ của tài khoản đã dùng ${megabytes(used)} trên ${quota}; không thể nhận thêm tệp này. Vui lòng liên hệ bộ phận một cửa nếu cần nộp thêm giấy tờ.`,
    detail: `Storage quota of ${quota} per account exceeded.`,
    fieldErrors: [fieldError(field, 'quota', `Vượt quá dung lượng lưu trữ ${quota} của tài khoản.`, `Exceeds the account's storage quota of ${quota}.`)],
  });
}

async function storeInspected(db: Db, store: FileStore, actor: Actor, uploaderId: string, field: string, file: UploadedFile, data: Buffer, mediaType: PaperMediaType): Promise<StoredFile> {
  // Checked before writing the bytes, and again under a lock on the account so that parallel uploads cannot both pass.
  await assertWithinQuota(db, store, uploaderId, field, data.length);
  const sha256 = await store.put(data);
  // Verified once, when kept: the verdict, the signers and the trust in them are facts of the upload.
  const verdict = mediaType === 'application/pdf' ? await verifyPdfSignatures(data, store.signatureTrust) : null;
  return db.transaction().execute(async (tx) => {
    await assertWithinQuota(tx, store, uploaderId, field, data.length, true);
    const row = await tx
      .insertInto('stored_files')
      .values({ sha256, size_bytes: data.length, media_type: mediaType, file_name: safeFileName(file.filename, mediaType),
        signature_status: verdict?.status ?? 'unsigned',
        signatures: JSON.stringify(verdict?.signatures ?? []),
        signature_trusted: verdict?.trusted ?? false,
        uploaded_by: uploaderId,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordAudit(tx, actor, { action: 'file.uploaded', entityType: 'stored_file', entityId: row.id, after: { sha256, sizeBytes: row.size_bytes, mediaType, fileName: row.file_name, signatureStatus: row.signature_status } });
    return row;
  });
}

/**
 * Keeps an uploaded paper: the bytes go to the content-addressed store first, then the row and its audit event are
 * written in one transaction, so a crash leaves at most an unreferenced blob, never a row without content. A file over
 * the size limit or the account's quota answers 413; one that is not a whole paper, 400.
 */
export async function storeUpload(db: Db, store: FileStore, actor: Actor, uploaderId: string, field: string, file: UploadedFile): Promise<StoredFile> {
  const inspected = await inspectUpload(field, file);
  if (inspected.problem) {
    if (file.truncated) throw new AppError('payload_too_large', { fieldErrors: [inspected.problem] });
    throw AppError.validation([inspected.problem]);
  }
  return storeInspected(db, store, actor, uploaderId, field, file, inspected.data, inspected.mediaType);
}

/** Stores every file of a form, collecting each problem under its field instead of stopping at the first. */
export async function storeUploads(db: Db, store: FileStore, actor: Actor, uploaderId: string, uploads: readonly { field: string; file: UploadedFile }[]) {
  const stored: { field: string; file: StoredFile }[] = [];
  const errors: FieldError[] = [];
  for (const u of uploads) {
    const inspected = await inspectUpload(u.field, u.file);
    if (inspected.problem) errors.push(inspected.problem);
    else stored.push({ field: u.field, file: await storeInspected(db, store, actor, uploaderId, u.field, u.file, inspected.data, inspected.mediaType) });
  }
  return { stored, errors };
}
