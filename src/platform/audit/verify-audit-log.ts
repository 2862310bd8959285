import { sql } from 'kysely';
import { tenantOf } from '../db/tenant-scope.ts';
import type { Db, DbOrTx } from '../db/database.ts';
import { type AuditEventRow, chainHash, eventContent, genesisHash, STREAMS } from './audit-log.ts';
import { type AuditKey, checkpointSigned, findCheckpoints, type StreamHead } from './checkpoints.ts';
import { sealAll } from './seal-audit-log.ts';

export type AuditProblemKind =
  | 'edited' // content does not match its hash
  | 'missing' // a gap in a stream, or a seal whose event is gone
  | 'unsealed' // an event the sealer has passed without chaining it: inserted afterwards
  | 'broken_link' // prev_hash is not the previous event's hash, or events out of order
  | 'head_mismatch' // a stream's head row disagrees with where its chain ends
  | 'rewritten' // a published head or checkpoint names another hash at that position
  | 'truncated' // a published head or checkpoint lies beyond the end of its stream
  | 'forged_checkpoint' // a checkpoint whose signature is wrong, or that cannot be read
  | 'checkpoint_missing'; // a checkpoint file with no row in the database

export interface AuditProblem {
  readonly stream: number;
  /** Position in the stream (0 when the problem concerns a checkpoint as a whole). */
  readonly seq: number;
  readonly kind: AuditProblemKind;
  readonly detail: string;
}

export interface AuditVerification {
  readonly checked: number;
  /** Where each stream's chain ends: what to publish, and what `--head` takes. */
  readonly heads: readonly StreamHead[];
  /** Signed checkpoints compared with the log. */
  readonly checkpoints: number;
  readonly problems: readonly AuditProblem[];
  readonly warnings: readonly string[];
}

export interface VerifyOptions {
  /** Heads recorded elsewhere (e.g. published): the event at each position must still have that hash. */
  readonly heads?: readonly StreamHead[];
  /** Key of the checkpoints; without it checkpoints are not used. */
  readonly key?: AuditKey;
  /** Folder of the checkpoint files kept outside the database. */
  readonly checkpointDir?: string;
  /** Chain what has committed and waits for its seal before checking (`cqs audit verify`, tests); not on a GET. */
  readonly seal?: boolean;
}

/** A seal with the event it covers (null when that event is gone). */
interface SealedRow {
  readonly stream: number;
  readonly stream_seq: string;
  readonly event_seq: string;
  readonly prev_hash: string;
  readonly hash: string;
  readonly event: AuditEventRow | null;
}

const PAGE = 2000;
/** Events still waiting for their seal that verification lists one by one; beyond, only their number. */
const LISTED = 1000;

/** Positions that must hold a given hash, from published heads and checkpoints, with where each claim comes from. */
type Anchors = Map<string, { stream: number; seq: number; hash: string; from: string; found: boolean }[]>;

const anchorKey = (stream: number, seq: number) => `${stream}:${seq}`;

function addAnchor(anchors: Anchors, head: StreamHead, from: string): void {
  if (head.seq === 0) return;
  const key = anchorKey(head.stream, head.seq);
  const claims = anchors.get(key) ?? [];
  // Checkpoints of an idle stream repeat its head: one claim per distinct hash keeps memory to the log's size.
  if (claims.some((c) => c.hash === head.hash)) return;
  anchors.set(key, [...claims, { ...head, from, found: false }]);
}

/** Checks checkpoint signatures and turns the good ones into anchors. */
async function checkpointAnchors(db: DbOrTx, options: VerifyOptions, anchors: Anchors, problems: AuditProblem[], warnings: string[]): Promise<number> {
  const { key } = options;
  if (!key) {
    warnings.push('no checkpoint key given: checkpoints were not used');
    return 0;
  }
  const found = await findCheckpoints(db, options.checkpointDir);
  const inDatabase = new Set(found.filter((f) => f.source === 'database').map((f) => f.checkpoint?.signature));
  const seen = new Set<string>();
  let used = 0;
  for (const f of found) {
    const where = f.source === 'database' ? `checkpoint ${f.name}` : `checkpoint file ${f.name}`;
    if (!f.checkpoint || !checkpointSigned(key, f.checkpoint)) {
      if (key.ephemeral) warnings.push(`${where} is signed with another key (set CQS_AUDIT_KEY): not used`);
      else problems.push({ stream: 0, seq: 0, kind: 'forged_checkpoint', detail: `${where} ${f.checkpoint ? 'has a wrong signature' : 'cannot be read'}` });
      continue;
    }
    if (f.source === 'file' && !inDatabase.has(f.checkpoint.signature)) {
      problems.push({ stream: 0, seq: 0, kind: 'checkpoint_missing', detail: `${where} (${f.checkpoint.createdAt}) is no longer in the database` });
    }
    if (seen.has(f.checkpoint.signature)) continue;
    seen.add(f.checkpoint.signature);
    used += 1;
    for (const head of f.checkpoint.heads) addAnchor(anchors, head, `${where} of ${f.checkpoint.createdAt}`);
  }
  return used;
}

/**
 * Walks every stream in chain order (the seals, with the events they cover): recomputes each hash (an edited event
 * no longer matches), checks each stream's positions have no gap, each seal points at its predecessor's hash and its
 * event still exists (a deleted row leaves a gap, a broken link or a dangling seal), and that each stream's head row
 * is where its chain ends. Events without a seal are waiting for the sealer, unless the sealer has already passed
 * them: then they were inserted afterwards. Then compares the log with what was recorded outside it: published heads
 * and signed checkpoints name the hash at their position, whatever came after. That catches a recomputed rewrite, a
 * tail deleted with its head moved back, and an emptied table with reset heads.
 */
export async function verifyAuditLog(db: Db, options: VerifyOptions = {}): Promise<AuditVerification> {
  if (options.seal) await sealAll(db);
  // Every read in one snapshot: a sealer committing between two of them (another process's, every second) would
  // otherwise show a head past the seals read a moment before, which looks exactly like deleted newest events.
  return db
    .transaction()
    .setIsolationLevel('repeatable read')
    .execute((tx) => verifyIn(tx, options));
}

async function verifyIn(db: DbOrTx, options: VerifyOptions): Promise<AuditVerification> {
  const problems: AuditProblem[] = [];
  const warnings: string[] = [];
  const anchors: Anchors = new Map();
  for (const head of options.heads ?? []) addAnchor(anchors, head, 'the published head');
  const checkpoints = await checkpointAnchors(db, options, anchors, problems, warnings);
  const ends = new Map<number, { seq: number; hash: string }>();
  for (let s = 0; s < STREAMS; s++) ends.set(s, { seq: 0, hash: genesisHash(s) });
  let checked = 0;
  let after = { stream: -1, seq: '0' };
  for (;;) {
    const page = await sealPage(db, after);
    for (const row of page) {
      checkSeal(row, ends, anchors, problems);
      after = { stream: row.stream, seq: row.stream_seq };
      checked += 1;
    }
    if (page.length < PAGE) break;
  }
  await checkHeads(db, ends, problems);
  await checkUnsealed(db, problems, warnings);
  for (const claims of anchors.values()) {
    for (const a of claims.filter((c) => !c.found)) {
      const end = ends.get(a.stream)?.seq ?? 0;
      problems.push({ stream: a.stream, seq: a.seq, kind: 'truncated', detail: `${a.from} names position ${a.seq}, the stream ends at ${end}` });
    }
  }
  const heads = [...ends.entries()].map(([stream, e]) => ({ stream, seq: e.seq, hash: e.hash }));
  return { checked, heads, checkpoints, problems, warnings };
}

async function sealPage(db: DbOrTx, after: { stream: number; seq: string }): Promise<SealedRow[]> {
  const r = await sql<SealedRow>`SELECT s.stream, s.stream_seq, s.event_seq, s.prev_hash, s.hash,
      CASE WHEN e.seq IS NULL THEN NULL ELSE to_jsonb(e) END AS event
    FROM audit_seals s LEFT JOIN audit_events e ON e.seq = s.event_seq AND e.tenant_id = s.tenant_id
    WHERE s.tenant_id = ${tenantOf(db)} AND (s.stream, s.stream_seq) > (${after.stream}::smallint, ${after.seq}::bigint)
    ORDER BY s.stream, s.stream_seq LIMIT ${PAGE}`.execute(db);
  return r.rows;
}

/** to_jsonb turns the event's timestamp into text: back to the row the sealer hashed. */
const eventOf = (e: AuditEventRow): AuditEventRow => ({ ...e, occurred_at: new Date(e.occurred_at) });

function checkSeal(row: SealedRow, ends: Map<number, { seq: number; hash: string }>, anchors: Anchors, problems: AuditProblem[]): void {
  const stream = row.stream;
  const seq = Number(row.stream_seq);
  const at = `event #${row.event_seq}`;
  const end = ends.get(stream) ?? { seq: 0, hash: genesisHash(stream) };
  if (seq > end.seq + 1) problems.push({ stream, seq: end.seq + 1, kind: 'missing', detail: `positions ${end.seq + 1}–${seq - 1} are missing (before ${at})` });
  if (row.prev_hash !== end.hash) problems.push({ stream, seq, kind: 'broken_link', detail: `${at}: prev_hash does not match the previous event` });
  if (!row.event) problems.push({ stream, seq, kind: 'missing', detail: `${at} is gone, its seal remains` });
  else if (chainHash(seq, row.prev_hash, eventContent(eventOf(row.event))) !== row.hash) problems.push({ stream, seq, kind: 'edited', detail: `${at}: content does not match its hash` });
  for (const a of anchors.get(anchorKey(stream, seq)) ?? []) {
    a.found = true;
    if (a.hash !== row.hash) problems.push({ stream, seq, kind: 'rewritten', detail: `${at} is not the event ${a.from} names` });
  }
  ends.set(stream, { seq, hash: row.hash });
}

/** Events with no seal: a problem at or below the sealer's mark, otherwise a warning that they wait. */
async function checkUnsealed(db: DbOrTx, problems: AuditProblem[], warnings: string[]): Promise<void> {
  const r = await sql<{ seq: string; behind: boolean }>`SELECT e.seq, e.seq <= st.mark AS behind
    FROM audit_events e JOIN audit_seal_state st ON st.tenant_id = e.tenant_id
    WHERE e.tenant_id = ${tenantOf(db)} AND NOT EXISTS (SELECT 1 FROM audit_seals s WHERE s.event_seq = e.seq AND s.tenant_id = e.tenant_id)
    ORDER BY e.seq LIMIT ${LISTED + 1}`.execute(db);
  const rows = r.rows.slice(0, LISTED);
  for (const row of rows.filter((x) => x.behind)) {
    problems.push({ stream: 0, seq: 0, kind: 'unsealed', detail: `event #${row.seq} has no seal, although the sealer has passed it: inserted afterwards` });
  }
  const waiting = rows.filter((x) => !x.behind).length;
  if (waiting > 0) {
    const more = r.rows.length > LISTED ? ' or more' : '';
    warnings.push(`${waiting}${more} event(s) wait for their seal: not yet checked (the sealer runs inside cqs start; cqs audit verify seals first)`);
  }
}

async function checkHeads(db: DbOrTx, ends: Map<number, { seq: number; hash: string }>, problems: AuditProblem[]): Promise<void> {
  const rows = await db.selectFrom('audit_stream_heads').select(['stream', 'seq', 'hash']).execute();
  const byStream = new Map(rows.map((r) => [r.stream, r]));
  for (const [stream, end] of ends) {
    const head = byStream.get(stream);
    if (!head) {
      problems.push({ stream, seq: end.seq, kind: 'head_mismatch', detail: `the head row of stream ${stream} is gone` });
      continue;
    }
    const seq = Number(head.seq);
    if (seq > end.seq) problems.push({ stream, seq, kind: 'head_mismatch', detail: `the head is at position ${seq}, the stream ends at ${end.seq}: newest events deleted` });
    else if (seq < end.seq) problems.push({ stream, seq, kind: 'head_mismatch', detail: `the stream runs to ${end.seq}, past its head at ${seq}` });
    else if (head.hash !== end.hash) problems.push({ stream, seq, kind: 'head_mismatch', detail: `the head's hash is not the last event's` });
  }
}
