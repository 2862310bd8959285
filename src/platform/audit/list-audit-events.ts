import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import type { AuditQuery } from './schema.ts';

export interface AuditScope {
  /** Org-path prefixes the reader may see. */
  readonly orgPaths: readonly string[];
  /** Whether events tied to no org unit (sign-ins, imports) are visible: only to administrators of a root unit. */
  readonly includeUnscoped: boolean;
}

// Local midnight in Asia/Ho_Chi_Minh (UTC+7, no DST) of a YYYY-MM-DD date.
const localMidnight = (isoDate: string) => new Date(`${isoDate}T00:00:00+07:00`);

export async function listAuditEvents(db: Db, scope: AuditScope, q: AuditQuery) {
  const limit = q.limit ?? 50;
  let query = db
    .selectFrom('audit_events as e')
    .leftJoin('org_units as ou', 'ou.id', 'e.org_unit_id')
    .leftJoin('audit_seals as s', 's.event_seq', 'e.seq')
    .selectAll('e')
    .select(['s.stream', 's.stream_seq', 's.hash'])
    .orderBy('e.seq', 'desc')
    .limit(limit + 1);
  query = query.where((eb) => {
    const visible = scope.orgPaths.map((p) => eb('ou.path', 'like', `${p.replaceAll('%', '')}%`));
    if (scope.includeUnscoped) visible.push(eb('e.org_unit_id', 'is', null));
    return visible.length > 0 ? eb.or(visible) : sql<boolean>`false`;
  });
  if (q.action) query = query.where('e.action', 'like', `${q.action.replace(/[%_\\]/g, '\\$&')}%`);
  if (q.actor) query = query.where('e.actor_label', '=', q.actor);
  if (q.entityType) query = query.where('e.entity_type', '=', q.entityType);
  if (q.entityId) query = query.where('e.entity_id', '=', q.entityId);
  if (q.from) query = query.where('e.occurred_at', '>=', localMidnight(q.from));
  if (q.to) query = query.where('e.occurred_at', '<', new Date(localMidnight(q.to).getTime() + 86_400_000));
  if (q.before) query = query.where('e.seq', '<', String(q.before));
  const rows = await query.execute();
  const items = rows.slice(0, limit).map((r) => ({
    seq: Number(r.seq),
    stream: r.stream,
    streamSeq: r.stream_seq === null ? null : Number(r.stream_seq),
    occurredAt: r.occurred_at.toISOString(),
    actorId: r.actor_id,
    actorLabel: r.actor_label,
    action: r.action,
    entityType: r.entity_type,
    entityId: r.entity_id,
    orgUnitId: r.org_unit_id,
    summary: r.summary,
    requestId: r.request_id,
    hash: r.hash,
  }));
  const last = items.at(-1);
  return { items, nextBefore: rows.length > limit && last ? last.seq : null };
}
