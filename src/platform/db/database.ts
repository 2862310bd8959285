import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { createPgConfig } from '@electric-sql/pglite/node-postgres';
import { Kysely, PostgresDialect, type Transaction } from 'kysely';
import pg from 'pg';
import { ChangeNotices, registerChangeNotices } from './change-notices.ts';
import { withCommitBatching } from './commit-batching.ts';
import { acquireDataDirLock } from './data-dir-lock.ts';
import type { Database } from './schema.ts';
import { INSTALLATION_TENANT, TenantScope } from './tenant-scope.ts';

export type Db = Kysely<Database>;
export type Tx = Transaction<Database>;
/** A use case takes either the app's handle or an open transaction. */
export type DbOrTx = Db | Tx;

export interface DatabaseHandle {
  readonly db: Db;
  readonly kind: 'pglite' | 'postgres';
  close(): Promise<void>;
}

// int8 and numeric come back as strings by default; counts fit in a JS number, so parse them once here.
pg.types.setTypeParser(pg.types.builtins.INT8, (v: string) => Number(v));
// A calendar date is not an instant: keep DATE columns as 'YYYY-MM-DD' strings instead of local-midnight Dates.
pg.types.setTypeParser(pg.types.builtins.DATE, (v: string) => v);

export type DatabaseTarget =
  | { readonly kind: 'postgres'; readonly url: string; readonly maxConnections?: number }
  /** `dataDir` holds PGlite's files; `lock` names the folder whose `cqs.lock` this process must hold and who holds it. */
  | { readonly kind: 'pglite'; readonly dataDir: string; readonly lock: { readonly folder: string; readonly command: string } }
  | { readonly kind: 'pglite-instance'; readonly pglite: PGlite };

export async function openPglite(dataDir: string | undefined, loadDataDir?: Blob): Promise<PGlite> {
  if (dataDir !== undefined) mkdirSync(path.dirname(dataDir), { recursive: true });
  const options = { extensions: { pg_trgm }, ...(loadDataDir ? { loadDataDir } : {}) };
  return dataDir === undefined ? PGlite.create(options) : PGlite.create(dataDir, options);
}

/**
 * Opens the database. PGlite is one in-process connection, so the whole app shares ONE pool of size 1
 * over the pg adapter; the same SQL and the same Kysely dialect then serve PGlite and PostgreSQL alike.
 */
export async function openDatabase(target: DatabaseTarget): Promise<DatabaseHandle> {
  if (target.kind === 'postgres') {
    const pool = new pg.Pool({ connectionString: target.url, max: target.maxConnections ?? 10 });
    // An idle connection closed by the server (restart, failover, a dropped test database) emits 'error' on the
    // pool; unhandled, that would end the process. The pool discards the client and the next query reconnects.
    pool.on('error', (error) => {
      if ((error as { code?: string }).code !== '57P01') console.warn(`database connection lost: ${error.message}`);
    });
    // Listening starts before the first connection opens (the one asking about Citus included).
    const notices = listeningOn(pool);
    const db = kyselyOver(pool, (await isCitus(pool)) ? undefined : notices);
    return { db, kind: 'postgres', close: () => db.destroy() };
  }
  if (target.kind === 'pglite-instance') return pgliteHandle(target.pglite, async () => {});
  // PGlite has no lock of its own across processes: take the folder's before touching its files.
  const lock = acquireDataDirLock(target.lock.folder, target.lock.command);
  try {
    const pglite = await openPglite(target.dataDir);
    return pgliteHandle(pglite, async () => {
      try {
        await pglite.close();
      } finally {
        lock.release();
      }
    });
  } catch (error) {
    lock.release();
    throw error;
  }
}

/**
 * Whether the database is a Citus coordinator. Its change-notice triggers are gone (migrations/0055: on the workers
 * nobody would hear them), so nothing may be cached from notices. A server that cannot be asked is treated as one:
 * reading without a cache is slower, never wrong.
 */
async function isCitus(pool: pg.Pool): Promise<boolean> {
  try {
    const result = await pool.query<{ citus: boolean }>(`SELECT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'citus') AS citus`);
    return result.rows[0]?.citus ?? true;
  } catch (error) {
    console.warn(`database not reachable at start, in-process caches off: ${(error as Error).message}`);
    return true;
  }
}

/** Change notices heard on every connection `pool` opens from now on. */
function listeningOn(pool: pg.Pool): ChangeNotices {
  const notices = new ChangeNotices();
  notices.attach(pool);
  return notices;
}

/** The one Kysely of a pool, its caches kept true by `notices` when it has them. */
function kyselyOver(pool: pg.Pool, notices: ChangeNotices | undefined): Db {
  const db = new Kysely<Database>({ dialect: withCommitBatching(new PostgresDialect({ pool })), plugins: [new TenantScope(INSTALLATION_TENANT, { fromRequest: true })] });
  if (notices) registerChangeNotices(db, notices);
  return db;
}

function pgliteHandle(pglite: PGlite, closeInstance: () => Promise<void>): DatabaseHandle {
  const pool = new pg.Pool({ ...createPgConfig(pglite), max: 1 });
  const db = kyselyOver(pool, listeningOn(pool));
  return {
    db,
    kind: 'pglite',
    close: async () => {
      await db.destroy();
      await closeInstance();
    },
  };
}
