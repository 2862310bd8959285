import type { Actor } from '../../platform/audit/audit-log.ts';
import type { CurrentUser } from '../../platform/auth/permissions.ts';
import type { Db } from '../../platform/db/database.ts';
import type { FieldError } from '../../platform/errors.ts';
import type { FileStore } from '../../platform/files/file-store.ts';
import { storeUploads } from '../../platform/files/store-upload.ts';
import { uploadedFiles } from '../../platform/http/multipart.ts';
import type { PaperRequirement } from '../procedures/index.ts';
import { ownedRecords, recordLabel, recordOwnerOf } from './papers.ts';
import type { PaperInput } from './schema.ts';

/**
 * The papers part of an HTML form. Each requirement `seq` has a file input `upload_<seq>`, a choice of digitised
 * records `record_<seq>`, and a hidden `paper_<seq>` listing what was already chosen as `f:<file id>` or
 * `r:<record id>` tokens, so a page re-shown with errors (or the review page) keeps the files already uploaded.
 */
export interface PaperChoice {
  readonly token: string;
  readonly label: string;
}
export type PaperChoices = Record<number, PaperChoice[]>;

const TOKEN = /^[fr]:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const field = (body: unknown, name: string) => {
  const v = (body as Record<string, unknown> | undefined)?.[name];
  return (Array.isArray(v) ? v : [v]).filter((x): x is string => typeof x === 'string');
};

/** Reads the form: kept tokens minus the dropped ones, plus new uploads (stored now) and chosen records. */
export async function readPaperForm(db: Db, store: FileStore, actor: Actor, user: CurrentUser, requirements: readonly PaperRequirement[], body: unknown) {
  const dropped = new Set(field(body, 'drop'));
  const tokens: Record<number, string[]> = {};
  const errors: FieldError[] = [];
  for (const r of requirements) {
    const kept = field(body, `paper_${r.seq}`).flatMap((v) => v.split(',')).filter((t) => TOKEN.test(t) && !dropped.has(t));
    const uploads = uploadedFiles(body, `upload_${r.seq}`).map((file) => ({ field: `papers.${r.seq}`, file }));
    const { stored, errors: uploadErrors } = await storeUploads(db, store, actor, user.id, uploads);
    errors.push(...uploadErrors);
    const record = field(body, `record_${r.seq}`).find((v) => TOKEN.test(`r:${v}`));
    tokens[r.seq] = [...new Set([...kept, ...stored.map((s) => `f:${s.file.id}`), ...(record ? [`r:${record}`] : [])])];
  }
  return { tokens, errors };
}

export function papersOf(tokens: Record<number, string[]>): PaperInput[] {
  return Object.entries(tokens).flatMap(([seq, list]) =>
    list.map((t) => (t.startsWith('f:') ? { requirement: Number(seq), fileId: t.slice(2) } : { requirement: Number(seq), recordId: t.slice(2) })),
  );
}

/** Names for the chosen tokens, looked up among the user's own uploads and records (anything else is dropped). */
export async function describeChoices(db: Db, user: CurrentUser, tokens: Record<number, string[]>): Promise<PaperChoices> {
  const all = Object.values(tokens).flat();
  const fileIds = all.filter((t) => t.startsWith('f:')).map((t) => t.slice(2));
  const recordIds = all.filter((t) => t.startsWith('r:')).map((t) => t.slice(2));
  const files = fileIds.length ? await db.selectFrom('stored_files').select(['id', 'file_name', 'size_bytes']).where('id', 'in', fileIds).where('uploaded_by', '=', user.id).execute() : [];
  const records = recordIds.length ? await ownedRecords(db, await recordOwnerOf(db, user)).where('r.id', 'in', recordIds).execute() : [];
  const kb = (n: number) => `${Math.max(1, Math.round(n / 1024))} KB`;
  const label = (t: string) => {
    const id = t.slice(2);
    if (t.startsWith('f:')) {
      const f = files.find((x) => x.id === id);
      return f ? `${f.file_name} (${kb(f.size_bytes)})` : null;
    }
    const r = records.find((x) => x.id === id);
    return r ? `${recordLabel({ title: r.title, fileName: r.file_name, dossierCode: r.dossier_code, createdAt: r.created_at })} — giấy tờ đã số hóa` : null;
  };
  return Object.fromEntries(Object.entries(tokens).map(([seq, list]) => [Number(seq), list.flatMap((t) => (label(t) ? [{ token: t, label: label(t) ?? '' }] : []))]));
}

export const tokensOfChoices = (choices: PaperChoices): Record<string, string> =>
  Object.fromEntries(Object.entries(choices).map(([seq, list]) => [`paper_${seq}`, list.map((c) => c.token).join(',')]));
