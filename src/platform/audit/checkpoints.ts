import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Db, DbOrTx } from '../db/database.ts';
import { hmac, sameSignature } from '../signing.ts';
import { canonicalJson } from './canonical-json.ts';

/** The key checkpoints are signed with. `ephemeral`: random per process, so older checkpoints cannot be checked. */
export interface AuditKey {
  readonly secret: string;
  readonly ephemeral: boolean;
}

export interface StreamHead {
  readonly stream: number;
  readonly seq: number;
  readonly hash: string;
}

export interface Checkpoint {
  readonly createdAt: string;
  readonly heads: readonly StreamHead[];
  readonly signature: string;
}

/** A checkpoint as found, in the database or as a file outside it. */
export interface FoundCheckpoint {
  readonly source: 'database' | 'file';
  readonly name: string;
  readonly checkpoint: Checkpoint | null;
}

export interface CheckpointOptions {
  readonly key: AuditKey;
  /** Folder of the checkpoint files, `checkpointDir(config.dataDir)`. */
  readonly dir: string;
  readonly log?: (line: string) => void;
}

export const checkpointDir = (dataDir: string) => path.join(dataDir, 'audit-checkpoints');

const signedText = (createdAt: string, heads: readonly StreamHead[]) =>
  canonicalJson({ createdAt, heads: heads.map((h) => ({ stream: h.stream, seq: h.seq, hash: h.hash })) });

export const signCheckpoint = (key: AuditKey, createdAt: string, heads: readonly StreamHead[]) => hmac(key.secret, signedText(createdAt, heads));

export const checkpointSigned = (key: AuditKey, c: Checkpoint) => sameSignature(signCheckpoint(key, c.createdAt, c.heads), c.signature);

export async function currentHeads(db: Db): Promise<StreamHead[]> {
  const rows = await db.selectFrom('audit_stream_heads').select(['stream', 'seq', 'hash']).orderBy('stream').execute();
  return rows.map((r) => ({ stream: r.stream, seq: Number(r.seq), hash: r.hash }));
}

const sameHeads = (a: readonly StreamHead[], b: readonly StreamHead[]) => signedText('', a) === signedText('', b);

/**
 * Anchors the heads of every stream: a signed row in audit_checkpoints and the same record as a file in `dir`, plus a
 * log line. Nothing is written when no stream moved since the newest checkpoint. The checkpoint is not itself an
 * audit event: an event would move a head and every idle interval would leave a new one.
 */
export async function writeCheckpoint(db: Db, options: CheckpointOptions): Promise<{ checkpoint: Checkpoint; written: boolean }> {
  const heads = await currentHeads(db);
  const newest = await db.selectFrom('audit_checkpoints').selectAll().orderBy('id', 'desc').limit(1).executeTakeFirst();
  const previous = newest ? parseCheckpoint({ createdAt: newest.created_at.toISOString(), heads: newest.heads, signature: newest.signature }) : null;
  if (previous && sameHeads(previous.heads, heads) && checkpointSigned(options.key, previous)) return { checkpoint: previous, written: false };
  const createdAt = new Date().toISOString();
  const checkpoint: Checkpoint = { createdAt, heads, signature: signCheckpoint(options.key, createdAt, heads) };
  await db
    .insertInto('audit_checkpoints')
    .values({ created_at: new Date(createdAt), heads: JSON.stringify(heads), signature: checkpoint.signature })
    .execute();
  await mkdir(options.dir, { recursive: true });
  const file = path.join(options.dir, `${createdAt.replace(/[:.]/g, '-')}-${checkpoint.signature.slice(0, 12)}.json`);
  await writeFile(file, `${JSON.stringify(checkpoint, null, 1)}\n`, { flag: 'wx' });
  const events = heads.reduce((n, h) => n + h.seq, 0);
  options.log?.(`audit checkpoint ${createdAt}: ${events} events in ${heads.length} streams, signature ${checkpoint.signature} (${file})`);
  return { checkpoint, written: true };
}

function isHead(value: unknown): value is StreamHead {
  const h = value as StreamHead | null;
  return typeof h === 'object' && h !== null && Number.isInteger(h.stream) && Number.isInteger(h.seq) && typeof h.hash === 'string';
}

/** The checkpoint if the value has its shape, else null (a damaged or foreign record). */
export function parseCheckpoint(value: unknown): Checkpoint | null {
  const c = value as Partial<Checkpoint> | null;
  if (typeof c !== 'object' || c === null || typeof c.createdAt !== 'string' || typeof c.signature !== 'string') return null;
  if (!Array.isArray(c.heads) || !c.heads.every(isHead)) return null;
  return { createdAt: c.createdAt, heads: c.heads.map((h) => ({ stream: h.stream, seq: h.seq, hash: h.hash })), signature: c.signature };
}

async function fileCheckpoints(dir: string): Promise<FoundCheckpoint[]> {
  let names: string[];
  try {
    names = (await readdir(dir)).filter((n) => n.endsWith('.json')).sort();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const out: FoundCheckpoint[] = [];
  for (const name of names) {
    let parsed: unknown = null;
    try {
      parsed = JSON.parse(await readFile(path.join(dir, name), 'utf8'));
    } catch {
      parsed = null;
    }
    out.push({ source: 'file', name, checkpoint: parseCheckpoint(parsed) });
  }
  return out;
}

/** Every checkpoint in the database, then every file in `dir` (if given). */
export async function findCheckpoints(db: DbOrTx, dir: string | undefined): Promise<FoundCheckpoint[]> {
  const rows = await db.selectFrom('audit_checkpoints').selectAll().orderBy('id').execute();
  const stored: FoundCheckpoint[] = rows.map((r) => ({
    source: 'database',
    name: `#${r.id}`,
    checkpoint: parseCheckpoint({ createdAt: r.created_at.toISOString(), heads: r.heads, signature: r.signature }),
  }));
  return dir === undefined ? stored : [...stored, ...(await fileCheckpoints(dir))];
}
