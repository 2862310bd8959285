import { readReference } from '../../platform/db/reference-cache.ts';
import type { Actor } from '../../platform/audit/audit-log.ts';
import type { Db, DbOrTx } from '../../platform/db/database.ts';
import type { PaperMediaType } from '../../platform/db/schema.ts';
import { AppError, FieldErrors } from '../../platform/errors.ts';
import { MAX_FILE_BYTES } from '../../platform/http/multipart.ts';
import type { RequiredDocument } from './procedure-record.ts';
import { reviseSetup, type SetupEdit, type VersionRef } from './setup-revision.ts';

export interface PaperRequirement {
  readonly seq: number;
  readonly name: string;
  readonly required: boolean;
  readonly mediaTypes: readonly PaperMediaType[];
  readonly maxBytes: number;
  /** When the paper is needed or may be left out ("Chỉ nộp khi …"), apart from its name. */
  readonly hint?: string | null;
}

export const ALL_PAPER_TYPES: readonly PaperMediaType[] = ['application/pdf', 'image/jpeg', 'image/png'];
const MAX_DERIVED = 20;

// Published names often end with the template's file name ("…Thông tư số 53.1.MuCT01…doc") and start with the list's
// bullet ("- ", "+ "); neither is part of the paper.
const cleanName = (name: string) =>
  name
    .replace(/\s*\d*\.?[A-Za-z0-9_-]+\.(docx?|xlsx?|pdf)$/i, '')
    .replace(/^[-–•+*.\s]+/, '')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 500);
// A paper asked for only in some cases: the entry starts with the case, or its first clause names one ("Văn bản ủy
// quyền … trong trường hợp ủy quyền"). A later clause ("Giấy chứng sinh; trường hợp không có … thì …") is an
// alternative to a paper everyone brings, not a condition on it.
const conditional = (name: string) => /^(trường hợp|đối với|nếu)/i.test(name) || /nếu có|trong trường hợp|đối với trường hợp/i.test(name.split(/[;.]/)[0] ?? '');
// Headings of the published list that sort papers rather than offer alternatives ("Giấy tờ phải nộp").
const CATEGORY = /^(giấy tờ phải nộp|giấy tờ phải xuất trình|thành phần hồ sơ|hồ sơ gồm|hồ sơ bao gồm)/i;
// Papers shown at the counter: online the authority looks their data up, so they are not asked as uploads of everyone.
const SHOWN = /^giấy tờ phải xuất trình/i;
// The interactive e-form the applicant fills in online is the declaration itself, not a paper to upload.
const INTERACTIVE_FORM = /điện tử tương tác/i;
/** Notes the scrape lists among the papers: explanations ("Trường hợp … thì không phải …"), list headings ("…gồm:"). */
const isNote = (d: RequiredDocument, name: string) => !/\p{L}/u.test(name) || /:$/.test(name) || (d.copies === 0 && /^(trường hợp|đối với|ngoài|người|cá nhân|cơ quan)/i.test(name)) || INTERACTIVE_FORM.test(name);

/**
 * Requirements derived from a version's published document list when the administrator has not set them: each
 * listed paper is a slot, notes and headings left out. A paper is required unless it is asked only in some cases, is
 * shown rather than submitted, or belongs to one of several alternative cases (groups named after a case).
 */
export function deriveRequirements(documents: readonly RequiredDocument[]): PaperRequirement[] {
  const listed = documents.filter((d) => !/^lưu ý/i.test((d.group ?? '').trim()) && !/^lưu ý/i.test(d.name.trim()));
  const papers = listed.map((d) => ({ ...d, name: cleanName(d.name) })).filter((d) => d.name.length > 0 && !isNote(d, d.name));
  const cases = new Set(papers.map((d) => d.group ?? '').filter((g) => g !== '' && !CATEGORY.test(g)));
  const alternatives = cases.size > 1;
  const derived = papers.slice(0, MAX_DERIVED).map((d, i) => ({
    seq: i + 1,
    name: d.name,
    required: !alternatives && !conditional(d.name) && !SHOWN.test(d.group ?? ''),
    mediaTypes: ALL_PAPER_TYPES,
    maxBytes: MAX_FILE_BYTES,
    hint: SHOWN.test(d.group ?? '') ? 'Giấy tờ xuất trình: chỉ tải lên khi cơ quan không tra cứu được thông tin trong cơ sở dữ liệu.' : alternatives && d.group ? `Khi: ${cleanName(d.group)}.`.slice(0, 500) : null,
  }));
  return derived.length > 0 ? derived : [{ seq: 1, name: 'Đơn đề nghị và giấy tờ kèm theo', required: false, mediaTypes: ALL_PAPER_TYPES, maxBytes: MAX_FILE_BYTES, hint: 'Thủ tục chưa công bố thành phần hồ sơ chi tiết; nộp giấy tờ theo hướng dẫn của cơ quan giải quyết.' }];
}

/** The papers a procedure version asks for: as set by the administrator, or derived from its document list. */
export async function paperRequirementsOf(db: DbOrTx, versionId: string): Promise<{ requirements: PaperRequirement[]; custom: boolean }> {
  return readReference(db, 'paper-requirements', ['paper_requirements', 'procedure_versions'], versionId, () => readPaperRequirements(db, versionId));
}

async function readPaperRequirements(db: DbOrTx, versionId: string): Promise<{ requirements: PaperRequirement[]; custom: boolean }> {
  const rows = await db.selectFrom('paper_requirements').selectAll().where('procedure_version_id', '=', versionId).orderBy('seq').execute();
  if (rows.length > 0) return { custom: true, requirements: rows.map((r) => ({ seq: r.seq, name: r.name, required: r.required, mediaTypes: r.media_types, maxBytes: r.max_bytes, hint: r.hint })) };
  const v = await db.selectFrom('procedure_versions').select('documents').where('id', '=', versionId).executeTakeFirst();
  if (!v) throw new AppError('not_found');
  return { custom: false, requirements: deriveRequirements(v.documents as RequiredDocument[]) };
}

/** The edit that replaces a version's papers, once every row is checked (all problems at once). */
export function papersEdit(requirements: readonly PaperRequirement[]): SetupEdit<PaperRequirement[]> {
  const errors = new FieldErrors();
  requirements.forEach((r, i) => {
    if (r.name.trim().length === 0) errors.add(`requirements.${i}.name`, 'required', 'Nhập tên giấy tờ.', 'Name required.');
    if (r.mediaTypes.length === 0) errors.add(`requirements.${i}.mediaTypes`, 'required', 'Chọn ít nhất một định dạng tệp.', 'Choose at least one file type.');
    if (r.maxBytes < 1024 || r.maxBytes > MAX_FILE_BYTES) errors.add(`requirements.${i}.maxBytes`, 'range', 'Dung lượng tối đa từ 1 KB đến 10 MB.', 'Between 1 KB and 10 MB.');
  });
  if (new Set(requirements.map((r) => r.seq)).size !== requirements.length) errors.add('requirements', 'duplicate', 'Số thứ tự giấy tờ bị trùng.', 'Duplicate sequence numbers.');
  errors.throwIfAny();
  const after = requirements.map((r) => ({ seq: r.seq, name: r.name.trim(), required: r.required, mediaTypes: [...r.mediaTypes], maxBytes: r.maxBytes, hint: r.hint?.trim() ? r.hint.trim() : null }));
  return {
    action: 'procedure.paper_requirements_set',
    read: async (tx, id) => {
      const current = await paperRequirementsOf(tx, id);
      return current.custom ? current.requirements : null;
    },
    write: async (tx, id) => {
      await tx.deleteFrom('paper_requirements').where('procedure_version_id', '=', id).execute();
      if (after.length > 0) await tx.insertInto('paper_requirements').values(after.map((r) => ({ procedure_version_id: id, seq: r.seq, name: r.name, required: r.required, media_types: r.mediaTypes, max_bytes: r.maxBytes, hint: r.hint }))).execute();
    },
    after: after.length > 0 ? after : null,
  };
}

/**
 * Sets the papers a procedure asks for (administrator). The procedure's version in force is superseded by a new
 * version with these papers (see `reviseSetup`).
 */
export async function setPaperRequirements(db: Db, actor: Actor, versionId: string, requirements: readonly PaperRequirement[], expectedVersionNo?: number): Promise<VersionRef> {
  return reviseSetup(db, actor, versionId, papersEdit(requirements), expectedVersionNo);
}
