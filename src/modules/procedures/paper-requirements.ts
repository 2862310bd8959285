import type { Actor } from '../../platform/audit/audit-log.ts';
import type { Db, DbOrTx } from '../../platform/db/database.ts';
import type { PaperMediaType } from '../../platform/db/schema.ts';
import { AppError, FieldErrors } from '../../platform/errors.ts';
import { MAX_FILE_BYTES } from '../../platform/http/multipart.ts';
import type { RequiredDocument } from './procedure-record.ts';
import { reviseSetup, type VersionRef } from './setup-revision.ts';

export interface PaperRequirement {
  readonly seq: number;
  readonly name: string;
  readonly required: boolean;
  readonly mediaTypes: readonly PaperMediaType[];
  readonly maxBytes: number;
}

export const ALL_PAPER_TYPES: readonly PaperMediaType[] = ['application/pdf', 'image/jpeg', 'image/png'];
const MAX_DERIVED = 20;

// Published names often end with the template's file name ("…Thông tư số 53.1.MuCT01…doc"); it is not part of the paper.
const cleanName = (name: string) =>
  name
    .replace(/\s*\d*\.?[A-Za-z0-9_-]+\.(docx?|xlsx?|pdf)$/i, '')
    .replace(/^[-–•\s]+/, '')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 500);
// Conditional papers ("nếu có", "trường hợp…", "đối với…") and alternative groups cannot be required of everyone.
const CONDITIONAL = /nếu có|trường hợp|đối với|hoặc/i;

/**
 * Requirements derived from a version's published document list when the administrator has not set them: each
 * listed paper is a slot; a paper is required only when the list has no alternative groups and it is unconditional.
 */
export function deriveRequirements(documents: readonly RequiredDocument[]): PaperRequirement[] {
  const papers = documents.filter((d) => !/^lưu ý/i.test(d.name.trim())).map((d) => ({ ...d, name: cleanName(d.name) })).filter((d) => d.name.length > 0);
  const grouped = new Set(papers.map((d) => d.group ?? '')).size > 1;
  const derived = papers.slice(0, MAX_DERIVED).map((d, i) => ({
    seq: i + 1,
    name: d.name,
    required: !grouped && !CONDITIONAL.test(d.name) && !CONDITIONAL.test(d.group ?? ''),
    mediaTypes: ALL_PAPER_TYPES,
    maxBytes: MAX_FILE_BYTES,
  }));
  return derived.length > 0 ? derived : [{ seq: 1, name: 'Đơn đề nghị và giấy tờ kèm theo (nếu có)', required: false, mediaTypes: ALL_PAPER_TYPES, maxBytes: MAX_FILE_BYTES }];
}

/** The papers a procedure version asks for: as set by the administrator, or derived from its document list. */
export async function paperRequirementsOf(db: DbOrTx, versionId: string): Promise<{ requirements: PaperRequirement[]; custom: boolean }> {
  const rows = await db.selectFrom('paper_requirements').selectAll().where('procedure_version_id', '=', versionId).orderBy('seq').execute();
  if (rows.length > 0) return { custom: true, requirements: rows.map((r) => ({ seq: r.seq, name: r.name, required: r.required, mediaTypes: r.media_types, maxBytes: r.max_bytes })) };
  const v = await db.selectFrom('procedure_versions').select('documents').where('id', '=', versionId).executeTakeFirst();
  if (!v) throw new AppError('not_found');
  return { custom: false, requirements: deriveRequirements(v.documents as RequiredDocument[]) };
}

/**
 * Sets the papers a procedure asks for (administrator), checking every row and reporting all problems at once. The
 * procedure's version in force is superseded by a new version with these papers (see `reviseSetup`).
 */
export async function setPaperRequirements(db: Db, actor: Actor, versionId: string, requirements: readonly PaperRequirement[], expectedVersionNo?: number): Promise<VersionRef> {
  const errors = new FieldErrors();
  requirements.forEach((r, i) => {
    if (r.name.trim().length === 0) errors.add(`requirements.${i}.name`, 'required', 'Nhập tên giấy tờ.', 'Name required.');
    if (r.mediaTypes.length === 0) errors.add(`requirements.${i}.mediaTypes`, 'required', 'Chọn ít nhất một định dạng tệp.', 'Choose at least one file type.');
    if (r.maxBytes < 1024 || r.maxBytes > MAX_FILE_BYTES) errors.add(`requirements.${i}.maxBytes`, 'range', 'Dung lượng tối đa từ 1 KB đến 10 MB.', 'Between 1 KB and 10 MB.');
  });
  if (new Set(requirements.map((r) => r.seq)).size !== requirements.length) errors.add('requirements', 'duplicate', 'Số thứ tự giấy tờ bị trùng.', 'Duplicate sequence numbers.');
  errors.throwIfAny();
  const after = requirements.map((r) => ({ seq: r.seq, name: r.name.trim(), required: r.required, mediaTypes: [...r.mediaTypes], maxBytes: r.maxBytes }));
  return reviseSetup(
    db,
    actor,
    versionId,
    {
      action: 'procedure.paper_requirements_set',
      read: async (tx, id) => {
        const current = await paperRequirementsOf(tx, id);
        return current.custom ? current.requirements : null;
      },
      write: async (tx, id) => {
        await tx.deleteFrom('paper_requirements').where('procedure_version_id', '=', id).execute();
        if (after.length > 0) await tx.insertInto('paper_requirements').values(after.map((r) => ({ procedure_version_id: id, seq: r.seq, name: r.name, required: r.required, media_types: r.mediaTypes, max_bytes: r.maxBytes }))).execute();
      },
      after: after.length > 0 ? after : null,
    },
    expectedVersionNo,
  );
}
