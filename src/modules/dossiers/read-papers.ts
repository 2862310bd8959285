import type { CurrentUser } from '../../platform/auth/permissions.ts';
import type { DbOrTx } from '../../platform/db/database.ts';
import { AppError } from '../../platform/errors.ts';
import type { FileStore } from '../../platform/files/file-store.ts';
import { dossierVisibleTo } from './access.ts';
import { ownedRecords, recordLabel, recordOwnerOf } from './papers.ts';

export interface FileContent {
  readonly fileName: string;
  readonly mediaType: string;
  readonly data: Buffer;
}

async function contentOf(db: DbOrTx, store: FileStore, fileId: string): Promise<FileContent> {
  const f = await db.selectFrom('stored_files').select(['sha256', 'file_name', 'media_type']).where('id', '=', fileId).executeTakeFirstOrThrow();
  return { fileName: f.file_name, mediaType: f.media_type, data: await store.read(f.sha256) };
}

/** A paper of a dossier, for its applicant and officers in scope; anyone else gets 404, as for the dossier. */
export async function readDossierPaper(db: DbOrTx, store: FileStore, user: CurrentUser, dossierId: string, paperId: string): Promise<FileContent> {
  await dossierVisibleTo(db, user, dossierId);
  const paper = await db.selectFrom('dossier_papers').select('file_id').where('id', '=', paperId).where('dossier_id', '=', dossierId).executeTakeFirst();
  if (!paper) throw new AppError('not_found');
  return contentOf(db, store, paper.file_id);
}

/** The person's own digitised records (papers and results), newest first, each with the label that tells it apart. */
export async function listMyRecords(db: DbOrTx, user: CurrentUser) {
  const rows = await ownedRecords(db, await recordOwnerOf(db, user)).orderBy('r.created_at', 'desc').limit(200).execute();
  return rows.map((r) => ({
    id: r.id,
    kind: r.kind,
    title: r.title,
    fileName: r.file_name,
    dossierCode: r.dossier_code,
    label: recordLabel({ title: r.title, fileName: r.file_name, dossierCode: r.dossier_code, createdAt: r.created_at }),
    mediaType: r.media_type,
    sizeBytes: r.size_bytes,
    createdAt: r.created_at.toISOString(),
  }));
}

export async function readMyRecord(db: DbOrTx, store: FileStore, user: CurrentUser, recordId: string): Promise<FileContent> {
  const r = await ownedRecords(db, await recordOwnerOf(db, user)).where('r.id', '=', recordId).executeTakeFirst();
  if (!r) throw new AppError('not_found');
  return contentOf(db, store, r.file_id);
}
