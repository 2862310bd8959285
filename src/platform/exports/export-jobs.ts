import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { sql } from 'kysely';
import { type Actor, recordAudit } from '../audit/audit-log.ts';
import type { Permission } from '../auth/permissions.ts';
import type { Db, DbOrTx } from '../db/database.ts';
import type { ExportStatus } from '../db/schema.ts';
import { AppError } from '../errors.ts';
import type { Clock } from '../time.ts';
import type { CellValue, SheetLayout } from './sheet.ts';
import { openXlsxFile } from './xlsx-file.ts';
import { asTenant, INSTALLATION_TENANT } from '../db/tenant-scope.ts';

/** What a kind of export writes: the layout, how many rows to expect (for progress) and the rows, a batch at a time. */
export interface ExportSource {
  readonly layout: SheetLayout;
  readonly total: number;
  batches(): AsyncIterable<readonly (readonly CellValue[])[]>;
}

/**
 * A kind of export a module offers. `params` are what the request stored (period, the requester's scope as it was
 * then …): the job may run minutes later, or again after a restart, and writes the same file from them.
 */
export interface ExportKind {
  readonly kind: string;
  /** Who may download it: the requester, as long as they still hold this permission somewhere. */
  readonly permission: Permission;
  open(db: Db, params: Record<string, unknown>): Promise<ExportSource>;
}

/** An export as its requester sees it (page and API). */
export interface ExportView {
  readonly id: string;
  readonly kind: string;
  readonly title: string;
  readonly fileName: string;
  readonly status: ExportStatus;
  readonly rowsDone: number;
  readonly rowsTotal: number | null;
  readonly byteSize: number | null;
  readonly requestedAt: Date;
  readonly finishedAt: Date | null;
  readonly expiresAt: Date;
}

/** Thrown inside a write when the runner is stopped: the export goes back to the queue untouched. */
class ExportStopped extends Error {}

/** How long a written file is kept for its requester. */
export const EXPORT_KEEP_DAYS = 7;
// A runner renews its lease with every batch; one that stops renewing (a killed process) loses the export to another.
const LEASE_MS = 2 * 60_000;
// An export that fails this many times is given up (the error is kept for the administrator's log).
const MAX_ATTEMPTS = 3;

const VIEW_COLUMNS = ['id', 'kind', 'title', 'file_name', 'status', 'rows_done', 'rows_total', 'byte_size', 'requested_at', 'finished_at', 'expires_at'] as const;

type ViewRow = { id: string; kind: string; title: string; file_name: string; status: ExportStatus; rows_done: string; rows_total: string | null; byte_size: string | null; requested_at: Date; finished_at: Date | null; expires_at: Date };

const viewOf = (r: ViewRow): ExportView => ({
  id: r.id,
  kind: r.kind,
  title: r.title,
  fileName: r.file_name,
  status: r.status,
  rowsDone: Number(r.rows_done),
  rowsTotal: r.rows_total === null ? null : Number(r.rows_total),
  byteSize: r.byte_size === null ? null : Number(r.byte_size),
  requestedAt: r.requested_at,
  finishedAt: r.finished_at,
  expiresAt: r.expires_at,
});

export interface ExportRequest {
  readonly kind: string;
  readonly params: Record<string, unknown>;
  readonly title: string;
  /** The download's name, in ASCII (it goes into Content-Disposition). */
  readonly fileName: string;
}

/**
 * Queues an export for `actor` (audited in the same transaction). Asking again for the same export while it is still
 * queued or being written answers that one: a double submit does not write the file twice.
 */
export async function requestExport(db: Db, now: Date, actor: Actor, request: ExportRequest): Promise<ExportView> {
  const requester = actor.id;
  if (!requester) throw new AppError('unauthenticated');
  const params = JSON.stringify(request.params);
  return db.transaction().execute(async (tx) => {
    // One request at a time per user, so that two submits in flight find each other.
    await sql`SELECT pg_advisory_xact_lock(hashtext(${`exports:${requester}`}))`.execute(tx);
    const pending = await tx
      .selectFrom('exports')
      .select(VIEW_COLUMNS)
      .where('requested_by', '=', requester)
      .where('kind', '=', request.kind)
      .where('status', 'in', ['queued', 'running'])
      .where(sql<boolean>`params = ${params}::jsonb`)
      .executeTakeFirst();
    if (pending) return viewOf(pending);
    const row = await tx
      .insertInto('exports')
      .values({ kind: request.kind, params, title: request.title, file_name: request.fileName, requested_by: requester, requested_at: now, expires_at: new Date(now.getTime() + EXPORT_KEEP_DAYS * 86_400_000) })
      .returning(VIEW_COLUMNS)
      .executeTakeFirstOrThrow();
    await recordAudit(tx, actor, { action: 'export.requested', entityType: 'export', entityId: row.id, after: { kind: request.kind, params: request.params, title: request.title } });
    return viewOf(row);
  });
}

/** The user's exports, newest first (the ones not yet expired). */
export async function listExports(db: DbOrTx, userId: string, now: Date, limit = 50): Promise<ExportView[]> {
  const rows = await db.selectFrom('exports').select(VIEW_COLUMNS).where('requested_by', '=', userId).where('expires_at', '>', now).orderBy('requested_at', 'desc').limit(limit).execute();
  return rows.map(viewOf);
}

/** One of the user's exports; anyone else's (or an expired one) is not found. */
export async function readExport(db: DbOrTx, userId: string, id: string, now: Date): Promise<ExportView> {
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id)) throw new AppError('not_found');
  const row = await db.selectFrom('exports').select(VIEW_COLUMNS).where('id', '=', id).where('requested_by', '=', userId).where('expires_at', '>', now).executeTakeFirst();
  if (!row) throw new AppError('not_found');
  return viewOf(row);
}

/**
 * Runs queued exports, one at a time in this process (the writing is done by a worker thread, the reading in short
 * batches, so requests keep being served meanwhile). Rows are claimed with SKIP LOCKED and a lease: several nodes can
 * run exports, and an export whose process died is taken up again once its lease runs out.
 */
export class ExportRunner {
  readonly #kinds = new Map<string, ExportKind>();
  #busy: Promise<number> | null = null;
  #again = false;
  #timer: NodeJS.Timeout | undefined;
  #live = false;
  #stopping = false;

  constructor(
    private readonly db: Db,
    private readonly dir: string,
    private readonly clock: Clock,
    private readonly log: (line: string) => void = (line) => console.warn(line),
    /** The provinces whose exports this runner writes, each as itself. */
    private readonly tenants: readonly number[] = [INSTALLATION_TENANT],
  ) {}

  /** The kinds the modules offer (the composition root adds them once the modules are known). */
  addKinds(kinds: readonly ExportKind[]): void {
    for (const k of kinds) this.#kinds.set(k.kind, k);
  }

  kindOf(kind: string): ExportKind | undefined {
    return this.#kinds.get(kind);
  }

  /** Where an export's file is once written. */
  fileOf(id: string): string {
    return path.join(this.dir, `${id}.xlsx`);
  }

  /** Runs exports as they are requested (`wake`) and every `pollMs` (leases that ran out, other nodes' requests). */
  start(pollMs = 5000): void {
    this.#live = true;
    this.#timer = setInterval(() => this.wake(), pollMs);
    this.#timer.unref();
    this.wake();
  }

  /**
   * Stops taking exports; one being written stops after its current batch and is queued again as it was (a shutdown
   * does not wait for a year's register, nor count as a failed attempt).
   */
  async stop(): Promise<void> {
    this.#live = false;
    this.#stopping = true;
    if (this.#timer) clearInterval(this.#timer);
    await this.#busy?.catch(() => 0);
  }

  /** A request came in: run it soon (only once started; tests call `runPending` themselves). */
  wake(): void {
    if (this.#live) void this.runPending().catch((error: unknown) => this.log(`exports failed: ${(error as Error).message}`));
  }

  /** Runs every export waiting now; answers how many were written. Called while running, it runs once more after. */
  runPending(): Promise<number> {
    if (this.#busy) {
      this.#again = true;
      return this.#busy;
    }
    const run = async () => {
      let n = 0;
      do {
        this.#again = false;
        if (this.#stopping) break;
        for (const tenant of this.tenants) {
          n += await asTenant(tenant, async () => {
            let written = 0;
            await this.removeExpired();
            while (!this.#stopping) {
              const claimed = await this.claim();
              if (!claimed) break;
              if (await this.write(claimed)) written += 1;
            }
            return written;
          });
        }
      } while (this.#again);
      return n;
    };
    this.#busy = run().finally(() => {
      this.#busy = null;
    });
    return this.#busy;
  }

  private async claim(): Promise<{ id: string; kind: string; params: Record<string, unknown>; attempts: number } | null> {
    const now = this.clock.now();
    const row = await this.db
      .updateTable('exports')
      .set((eb) => ({ status: 'running', attempts: eb('attempts', '+', 1), lease_until: new Date(now.getTime() + LEASE_MS), started_at: now, rows_done: 0 }))
      .where('id', '=', (eb) =>
        eb
          .selectFrom('exports')
          .select('id')
          .where((w) => w.or([w('status', '=', 'queued'), w.and([w('status', '=', 'running'), w('lease_until', '<', now)])]))
          .orderBy('requested_at')
          .limit(1)
          .forUpdate()
          .skipLocked(),
      )
      .returning(['id', 'kind', 'params', 'attempts'])
      .executeTakeFirst();
    return row ?? null;
  }

  /** Writes one claimed export; false when it failed (it is queued again, or given up after MAX_ATTEMPTS). */
  private async write(job: { id: string; kind: string; params: Record<string, unknown>; attempts: number }): Promise<boolean> {
    const kind = this.#kinds.get(job.kind);
    let file: Awaited<ReturnType<typeof openXlsxFile>> | null = null;
    try {
      if (!kind) throw new Error(`no export kind ${job.kind} in this deployment`);
      const source = await kind.open(this.db, job.params);
      await this.progress(job.id, 0, source.total);
      await mkdir(this.dir, { recursive: true });
      file = await openXlsxFile(this.fileOf(job.id), source.layout);
      let done = 0;
      for await (const batch of source.batches()) {
        if (this.#stopping) throw new ExportStopped();
        await file.append(batch);
        done += batch.length;
        await this.progress(job.id, done, null);
      }
      const bytes = await file.finish();
      await this.db.updateTable('exports').set({ status: 'done', rows_done: done, byte_size: bytes, finished_at: this.clock.now(), lease_until: null, error: null }).where('id', '=', job.id).execute();
      return true;
    } catch (error) {
      await file?.abort();
      if (error instanceof ExportStopped) {
        await this.db.updateTable('exports').set((eb) => ({ status: 'queued', lease_until: null, rows_done: 0, attempts: eb('attempts', '-', 1) })).where('id', '=', job.id).execute();
        return false;
      }
      const message = (error as Error).message;
      this.log(`export ${job.id} (${job.kind}) failed: ${message}`);
      const giveUp = job.attempts >= MAX_ATTEMPTS || !kind;
      await this.db
        .updateTable('exports')
        .set({ status: giveUp ? 'failed' : 'queued', lease_until: null, error: message.slice(0, 2000), finished_at: giveUp ? this.clock.now() : null })
        .where('id', '=', job.id)
        .execute();
      return false;
    }
  }

  private async progress(id: string, rowsDone: number, rowsTotal: number | null): Promise<void> {
    const lease = new Date(this.clock.now().getTime() + LEASE_MS);
    await this.db
      .updateTable('exports')
      .set({ rows_done: rowsDone, lease_until: lease, ...(rowsTotal === null ? {} : { rows_total: rowsTotal }) })
      .where('id', '=', id)
      .execute();
  }

  /** Expired exports go, file and row. */
  private async removeExpired(): Promise<void> {
    const gone = await this.db.deleteFrom('exports').where('expires_at', '<=', this.clock.now()).returning('id').execute();
    for (const { id } of gone) await rm(this.fileOf(id), { force: true });
  }
}
