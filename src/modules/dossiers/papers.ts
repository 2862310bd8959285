import { executeDeferred } from '../../platform/db/commit-batching.ts';
import type { CurrentUser } from '../../platform/auth/permissions.ts';
import type { DbOrTx, Tx } from '../../platform/db/database.ts';
import { FieldErrors } from '../../platform/errors.ts';
import { markFilesInUse } from '../../platform/files/files-in-use.ts';
import { MEDIA_TYPE_LABELS } from '../../platform/files/sniff.ts';
import { formatDate } from '../../web/format.ts';
import { type PaperRequirement, paperRequirementsOf } from '../procedures/index.ts';
import type { DossierRow } from './access.ts';
import type { PaperInput } from './schema.ts';

/** A paper checked against the version's requirements, ready to attach. */
export interface ResolvedPaper {
  readonly requirementSeq: number | null;
  readonly title: string;
  readonly fileId: string;
  readonly reusedRecordId: string | null;
  /** Whether it becomes a digitised record of the applicant when attached (new uploads, not reused ones). */
  readonly digitise: boolean;
}

const sizeMb = (bytes: number) => `${Math.round((bytes / 1024 / 1024) * 10) / 10} MB`;

/**
 * Checks papers against the requirements of a procedure version, reporting every problem at once under
 * `papers.<seq>`: required papers missing (when `enforceRequired`), files that are not the uploader's own, records
 * that are not the person's, and file types or sizes the requirement does not allow.
 */
export async function resolvePapers(
  db: DbOrTx,
  user: CurrentUser,
  versionId: string,
  input: readonly PaperInput[],
  options: { enforceRequired: boolean; recordOwner?: { userId: string | null; personalId: string | null } },
): Promise<{ requirements: PaperRequirement[]; papers: ResolvedPaper[] }> {
  const errors = new FieldErrors();
  const fileIds = input.flatMap((p) => (p.fileId ? [p.fileId] : []));
  const recordIds = input.flatMap((p) => (p.recordId ? [p.recordId] : []));
  const [{ requirements }, files, records] = await Promise.all([
    paperRequirementsOf(db, versionId),
    fileIds.length ? db.selectFrom('stored_files').select(['id', 'media_type', 'size_bytes', 'file_name']).where('id', 'in', fileIds).where('uploaded_by', '=', user.id).execute() : [],
    recordIds.length ? recordOwnerOf(db, user, options.recordOwner).then((owner) => ownedRecords(db, owner).where('r.id', 'in', recordIds).execute()) : [],
  ]);
  const papers: ResolvedPaper[] = [];
  for (const p of input) {
    const field = `papers.${p.requirement}`;
    const req = requirements.find((r) => r.seq === p.requirement);
    if (!req) {
      errors.add(field, 'unknown_requirement', 'Thủ tục không yêu cầu giấy tờ này.', 'Not a paper of this procedure.');
      continue;
    }
    if ((p.fileId ? 1 : 0) + (p.recordId ? 1 : 0) !== 1) {
      errors.add(field, 'one_source', 'Chọn tệp tải lên hoặc giấy tờ đã số hóa, không cả hai.', 'Give either fileId or recordId.');
      continue;
    }
    const file = p.fileId ? files.find((f) => f.id === p.fileId) : undefined;
    const record = p.recordId ? records.find((r) => r.id === p.recordId) : undefined;
    const target = file ?? (record ? { media_type: record.media_type, size_bytes: record.size_bytes, file_name: record.title } : undefined);
    if (!target) {
      errors.add(field, 'not_found', 'Không tìm thấy tệp hoặc giấy tờ đã chọn.', 'File or record not found.');
      continue;
    }
    if (!req.mediaTypes.includes(target.media_type)) {
      errors.add(field, 'file_type', `"${target.file_name}": giấy tờ này chỉ nhận ${req.mediaTypes.map((t) => MEDIA_TYPE_LABELS[t]).join(', ')}.`, 'File type not allowed for this paper.');
    } else if (target.size_bytes > req.maxBytes) {
      errors.add(field, 'too_large', `"${target.file_name}" vượt quá ${sizeMb(req.maxBytes)} cho phép.`, 'File too large for this paper.');
    } else {
      papers.push({ requirementSeq: req.seq, title: req.name, fileId: file?.id ?? record?.file_id ?? '', reusedRecordId: record?.id ?? null, digitise: !record });
    }
  }
  if (options.enforceRequired) {
    for (const r of requirements.filter((x) => x.required && !input.some((p) => p.requirement === x.seq))) {
      errors.add(`papers.${r.seq}`, 'required', `Vui lòng nộp: ${r.name}.`, 'This paper is required.');
    }
  }
  errors.throwIfAny();
  return { requirements, papers };
}

/**
 * Whose records a user may reuse: their own account's, and those issued to their personal ID (at a counter, by post)
 * once the account's identity is verified; a personal ID only claimed at registration reaches nothing.
 */
export async function recordOwnerOf(_db: DbOrTx, user: CurrentUser, given?: { userId: string | null; personalId: string | null }): Promise<{ userId: string | null; personalId: string | null }> {
  if (given) return given;
  return { userId: user.id, personalId: user.kind === 'citizen' ? (user.verifiedPersonalId ?? null) : null };
}

/** A person's digitised records: by account, and by personal ID for results issued at the counter. */
export function ownedRecords(db: DbOrTx, owner: { userId: string | null; personalId: string | null }) {
  return db
    .selectFrom('digitised_records as r')
    .innerJoin('stored_files as f', 'f.id', 'r.file_id')
    .innerJoin('dossiers as sd', 'sd.id', 'r.source_dossier_id')
    .select(['r.id', 'r.kind', 'r.title', 'r.file_id', 'r.created_at', 'f.media_type', 'f.size_bytes', 'f.file_name', 'sd.code as dossier_code'])
    .where((eb) => eb.or([...(owner.userId ? [eb('r.owner_user_id', '=', owner.userId)] : []), ...(owner.personalId ? [eb('r.owner_personal_id', '=', owner.personalId)] : []), eb.val(false)]));
}

/**
 * How a stored record is told apart from the others of the same title (several birth certificates, say): its file, the
 * dossier it came with and the day it was kept (in Asia/Ho_Chi_Minh, whatever the server's zone).
 */
export function recordLabel(r: { title: string; fileName: string; dossierCode: string | null; createdAt: Date }): string {
  return `${r.title} — ${r.fileName} (${r.dossierCode ? `hồ sơ ${r.dossierCode}, ` : ''}${formatDate(r.createdAt)})`;
}

/**
 * Attaches papers to a dossier in the caller's transaction, at the action's instant; new uploads become the
 * applicant's digitised records.
 */
export async function attachPapers(tx: Tx, d: DossierRow, kind: 'submitted' | 'supplement' | 'result', papers: readonly ResolvedPaper[], addedBy: string | null, at: Date): Promise<void> {
  if (papers.length === 0) return;
  // Every file attached here (papers, supplements, results and the records made of them) is in use from now on.
  await markFilesInUse(tx, papers.map((p) => p.fileId));
  await executeDeferred(
    tx,
    tx
      .insertInto('dossier_papers')
      .values(papers.map((p) => ({ dossier_id: d.id, kind, requirement_seq: p.requirementSeq, title: p.title, file_id: p.fileId, reused_record_id: p.reusedRecordId, added_by: addedBy, added_at: at }))),
  );
  const owner = { owner_user_id: d.applicant_user_id, owner_personal_id: d.applicant_personal_id };
  const kept = papers.filter((p) => p.digitise);
  if (kept.length === 0 || (!owner.owner_user_id && !owner.owner_personal_id)) return;
  await executeDeferred(
    tx,
    tx
      .insertInto('digitised_records')
      .values(kept.map((p) => ({ ...owner, kind: kind === 'result' ? ('result' as const) : ('paper' as const), title: p.title, file_id: p.fileId, source_dossier_id: d.id, created_at: at }))),
  );
}

/** Files a user uploaded themselves, checked for attachment outside a procedure's requirements (scans, results). */
export async function ownUploads(db: DbOrTx, user: CurrentUser, fileIds: readonly string[], field: string, title: string, onlyPdf = false): Promise<ResolvedPaper[]> {
  if (fileIds.length === 0) return [];
  const files = await db.selectFrom('stored_files').select(['id', 'media_type', 'file_name']).where('id', 'in', [...fileIds]).where('uploaded_by', '=', user.id).execute();
  const errors = new FieldErrors();
  for (const id of fileIds) {
    const f = files.find((x) => x.id === id);
    if (!f) errors.add(field, 'not_found', 'Không tìm thấy tệp đã tải lên.', 'Uploaded file not found.');
    else if (onlyPdf && f.media_type !== 'application/pdf') errors.add(field, 'file_type', `"${f.file_name}": kết quả giải quyết phải là tệp PDF (đã ký số).`, 'The result must be a PDF.');
  }
  errors.throwIfAny();
  return fileIds.map((id) => ({ requirementSeq: null, title, fileId: id, reusedRecordId: null, digitise: true }));
}
