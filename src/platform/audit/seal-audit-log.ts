import { sql } from 'kysely';
import type { Db, Tx } from '../db/database.ts';
import { tenantOf } from '../db/tenant-scope.ts';
import { type AuditEventRow, chainHash, eventContent } from './audit-log.ts';

/** The stream the sealer chains new events on; streams 1–15 hold the events of before migrations/0050. */
export const SEAL_STREAM = 0;
/** Advisory lock key, with the tenant: one sealer at a time per tenant, whatever the number of processes. */
const SEALER_LOCK = 727014;
const BATCH = 5000;

export interface SealResult {
  /** Events chained by this call. */
  readonly sealed: number;
  /** True when the batch was full: more may be waiting. */
  readonly more: boolean;
}

interface SealState {
  readonly mark: string;
  readonly candidate_mark: string | null;
  /** Every transaction open when the candidate was noted has ended. */
  readonly ready: boolean;
}

/**
 * Chains committed events that have no seal yet, oldest first, onto stream 0: their positions and hashes go to
 * audit_seals and the stream head moves once. Then moves the mark (migrations/0050) when it safely can. Returns at
 * once, sealing nothing, while another sealer holds the lock.
 */
export async function sealAuditLog(db: Db, batch = BATCH): Promise<SealResult> {
  return db.transaction().execute(async (tx) => {
    const tenant = tenantOf(tx);
    const lock = await sql<{ ok: boolean }>`SELECT pg_try_advisory_xact_lock(${SEALER_LOCK}::int, ${tenant}::int) AS ok`.execute(tx);
    if (!lock.rows[0]?.ok) return { sealed: 0, more: false };
    // Read before looking for events: whatever a transaction open at the candidate committed is then visible below.
    const state = await sql<SealState>`SELECT mark, candidate_mark,
      coalesce(pg_snapshot_xmin(pg_current_snapshot()) >= candidate_xmax AND candidate_at <= now() - interval '10 seconds', false) AS ready
      FROM audit_seal_state WHERE tenant_id = ${tenant}`.execute(tx);
    const s = state.rows[0];
    if (!s) throw new Error('audit_seal_state is empty');
    const waiting = await waitingEvents(tx, tenant, s.mark, batch);
    await chain(tx, tenant, waiting);
    const more = waiting.length === batch;
    if (!more) await moveMark(tx, tenant, s);
    return { sealed: waiting.length, more };
  });
}

/**
 * Committed events without a seal, oldest first: those past the newest sealed one (a range of the primary key), then,
 * once those are fewer than a batch, the ones that committed late between the mark and it. Looking for the late ones
 * only at the tail keeps a bulk sealing linear: the mark stays put while it runs.
 */
async function waitingEvents(tx: Tx, tenant: number, mark: string, batch: number): Promise<AuditEventRow[]> {
  const top = await sql<{ high: string }>`SELECT greatest(coalesce(max(event_seq), 0), ${mark}::bigint) AS high
    FROM audit_seals WHERE tenant_id = ${tenant}`.execute(tx);
  const high = top.rows[0]?.high ?? mark;
  const newer = await sql<AuditEventRow>`SELECT e.* FROM audit_events e WHERE e.tenant_id = ${tenant} AND e.seq > ${high}
    ORDER BY e.seq LIMIT ${batch}`.execute(tx);
  if (newer.rows.length === batch) return newer.rows;
  const late = await sql<AuditEventRow>`SELECT e.* FROM audit_events e
    WHERE e.tenant_id = ${tenant} AND e.seq > ${mark} AND e.seq < ${high}
      AND NOT EXISTS (SELECT 1 FROM audit_seals x WHERE x.event_seq = e.seq AND x.tenant_id = e.tenant_id)
    ORDER BY e.seq LIMIT ${batch - newer.rows.length}`.execute(tx);
  return [...late.rows, ...newer.rows];
}

/** Seals until nothing committed is waiting (bulk loads, the CLI's verification). */
export async function sealAll(db: Db): Promise<number> {
  let total = 0;
  for (;;) {
    const r = await sealAuditLog(db);
    total += r.sealed;
    if (!r.more) return total;
  }
}

async function chain(tx: Tx, tenant: number, events: readonly AuditEventRow[]): Promise<void> {
  if (events.length === 0) return;
  const head = await sql<{ seq: string; hash: string }>`SELECT seq, hash FROM audit_stream_heads
    WHERE stream = ${SEAL_STREAM} AND tenant_id = ${tenant} FOR UPDATE`.execute(tx);
  const h = head.rows[0];
  if (!h) throw new Error(`the head row of audit stream ${SEAL_STREAM} is gone`);
  let seq = Number(h.seq);
  let prev = h.hash;
  const seals = events.map((e) => {
    seq += 1;
    const hash = chainHash(seq, prev, eventContent(e));
    const seal = { stream: SEAL_STREAM, stream_seq: seq, event_seq: e.seq, prev_hash: prev, hash };
    prev = hash;
    return seal;
  });
  for (let i = 0; i < seals.length; i += 1000) await tx.insertInto('audit_seals').values(seals.slice(i, i + 1000)).execute();
  const last = seals[seals.length - 1];
  await sql`UPDATE audit_stream_heads SET seq = ${seq}, hash = ${prev}, prev_hash = ${last?.prev_hash ?? prev}
    WHERE stream = ${SEAL_STREAM} AND tenant_id = ${tenant}`.execute(tx);
}

/**
 * Everything visible was sealed above. A ready candidate becomes the mark; a new candidate is noted (the largest
 * visible seq, the xmax of this snapshot and the time) whenever none is pending. Transaction ids belong to the whole
 * server (on Citus, to the worker holding the tenant's shards): a long transaction in any of its databases holds the
 * mark back (never the sealing) until it ends.
 */
async function moveMark(tx: Tx, tenant: number, s: SealState): Promise<void> {
  const pending = s.candidate_mark !== null && !s.ready;
  if (pending) return;
  const mark = s.ready && s.candidate_mark !== null ? s.candidate_mark : s.mark;
  // The candidate and its xmax come from one snapshot, read where the tenant's events are: on Citus that is the
  // worker holding its shards, whose transaction ids are the ones the readiness check above compares (an UPDATE's
  // functions would be evaluated on the coordinator instead).
  const candidate = await sql<{ seq: string; xmax: string }>`SELECT greatest(max(seq), ${mark}::bigint) AS seq,
    pg_snapshot_xmax(pg_current_snapshot())::text AS xmax FROM audit_events WHERE tenant_id = ${tenant}`.execute(tx);
  const c = candidate.rows[0];
  if (!c) throw new Error('no candidate mark');
  await sql`UPDATE audit_seal_state SET mark = ${mark}, candidate_mark = ${c.seq}, candidate_xmax = ${c.xmax}::xid8,
    candidate_at = now() WHERE tenant_id = ${tenant}`.execute(tx);
}
