import { tenantOf } from '../db/tenant-scope.ts';
import { createHash, randomBytes } from 'node:crypto';
import type { Expression } from 'kysely';
import { jsonArrayFrom } from 'kysely/helpers/postgres';
import type { ChangeListener } from '../db/change-notices.ts';
import { REFERENCE_TOPIC } from '../db/reference-cache.ts';
import type { DbOrTx } from '../db/database.ts';
import type { AuthMethod } from '../db/schema.ts';
import type { CurrentUser } from './permissions.ts';

export const SESSION_COOKIE = 'cqs_session';
export const ANON_CSRF_COOKIE = 'cqs_csrf';

export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

export function tokenHash(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export interface SessionInfo {
  readonly user: CurrentUser;
  readonly csrfToken: string;
  readonly tokenHash: string;
}

export async function createSession(
  db: DbOrTx,
  userId: string,
  ttlHours: number,
  meta: { ip: string | null; userAgent: string | null },
  authMethod: AuthMethod = 'password',
): Promise<string> {
  const token = newToken();
  await db
    .insertInto('sessions')
    .values({
      token_hash: tokenHash(token),
      user_id: userId,
      csrf_token: newToken(),
      expires_at: new Date(Date.now() + ttlHours * 3_600_000),
      ip: meta.ip,
      user_agent: meta.userAgent?.slice(0, 300) ?? null,
      auth_method: authMethod,
    })
    .execute();
  return token;
}

/** An official's roles over org units in force, as a subquery (one round trip with the session or account). */
const grantsOf = (db: DbOrTx, userId: Expression<string>) =>
  jsonArrayFrom(
    db
      .selectFrom('role_assignments as ra')
      .innerJoin('org_units as ou', 'ou.id', 'ra.org_unit_id')
      .select(['ra.role as role', 'ra.org_unit_id as orgUnitId', 'ou.path as orgPath', 'ou.name as orgName'])
      .where('ra.user_id', '=', userId)
      .where('ou.valid_to', 'is', null)
      .orderBy('ou.path')
      .orderBy('ra.role'),
  );

/** The personal ID whose records reach an account: only once its identity has been verified. */
const verifiedId = (row: { personal_id: string | null; identity_verified_at: Date | null }) => (row.identity_verified_at ? row.personal_id : null);

/** A person's account kind; service accounts (API clients) never have a session or sign in. */
const personKind = (kind: 'citizen' | 'official' | 'service'): 'citizen' | 'official' | null => (kind === 'service' ? null : kind);

/** An active account as the permission checks see it, by id or by username; null when there is none. */
export async function activeUser(db: DbOrTx, by: { id: string } | { username: string }): Promise<CurrentUser | null> {
  const row = await db
    .selectFrom('users')
    .select(['id', 'kind', 'username', 'full_name', 'personal_id', 'identity_verified_at'])
    .select((eb) => grantsOf(db, eb.ref('users.id')).as('grants'))
    .where('status', '=', 'active')
    .where((eb) => ('id' in by ? eb('id', '=', by.id) : eb('username', '=', by.username)))
    .executeTakeFirst();
  const kind = row ? personKind(row.kind) : null;
  if (!row || !kind) return null;
  return { id: row.id, kind, username: row.username, fullName: row.full_name, grants: kind === 'official' ? row.grants : [], verifiedPersonalId: verifiedId(row) };
}

const TOUCH_EVERY_MS = 5 * 60_000;

interface CachedSession {
  /** The province the session was read in: the same cookie presented at another province's host is not it. */
  readonly tenant: number;
  readonly info: SessionInfo;
  readonly expiresAt: number;
  readonly lastSeenAt: number;
  readonly cachedAt: number;
}

/**
 * Signed-in sessions as last read, so an authenticated request costs no query. The database's change notices evict
 * an entry when its session is deleted, its account or grants change, or an org unit is renamed, moved or closed
 * (migration 0042); an entry also goes after `maxAgeMs` whatever happens, and the oldest when the cache is full.
 */
export class SessionCache implements ChangeListener {
  private readonly entries = new Map<string, CachedSession>();
  /** Counts notices: a read that started before one may hold what it announced, and is not kept. */
  private generation = 0;

  constructor(private readonly limits: { readonly maxEntries: number; readonly maxAgeMs: number } = { maxEntries: 10_000, maxAgeMs: 60_000 }) {}

  get size(): number {
    return this.entries.size;
  }

  get currentGeneration(): number {
    return this.generation;
  }

  get(hash: string, now: number, tenant: number): CachedSession | undefined {
    const entry = this.entries.get(hash);
    if (entry && entry.tenant !== tenant) return undefined;
    if (entry && now - entry.cachedAt <= this.limits.maxAgeMs) return entry;
    this.entries.delete(hash);
    return undefined;
  }

  put(hash: string, entry: CachedSession, readAtGeneration: number): void {
    if (readAtGeneration !== this.generation) return;
    this.entries.delete(hash);
    if (this.entries.size >= this.limits.maxEntries) this.entries.delete(this.entries.keys().next().value ?? '');
    this.entries.set(hash, entry);
  }

  readonly changed = (topic: string, key: string): void => {
    this.generation++;
    if (topic === 'session') this.entries.delete(key);
    else if (topic === 'user') {
      for (const [hash, entry] of this.entries) if (entry.info.user.id === key) this.entries.delete(hash);
    } else if (topic !== REFERENCE_TOPIC) this.entries.clear();
  };

  readonly reset = (): void => {
    this.generation++;
    this.entries.clear();
  };
}

/** Reads a session and its account with the grants in force: one round trip. */
async function readSession(db: DbOrTx, hash: string, now: number): Promise<Omit<CachedSession, 'cachedAt' | 'tenant'> | null> {
  const row = await db
    .selectFrom('sessions as s')
    .innerJoin('users as u', 'u.id', 's.user_id')
    .select(['s.csrf_token', 's.expires_at', 's.last_seen_at', 's.auth_method', 'u.id', 'u.kind', 'u.username', 'u.full_name', 'u.status', 'u.personal_id', 'u.identity_verified_at'])
    .select((eb) => grantsOf(db, eb.ref('u.id')).as('grants'))
    .where('s.token_hash', '=', hash)
    .executeTakeFirst();
  const kind = row ? personKind(row.kind) : null;
  if (!row || !kind || row.status !== 'active' || row.expires_at.getTime() <= now) return null;
  const grants = kind === 'official' ? row.grants : [];
  return {
    expiresAt: row.expires_at.getTime(),
    lastSeenAt: row.last_seen_at.getTime(),
    info: {
      csrfToken: row.csrf_token,
      tokenHash: hash,
      user: { id: row.id, kind, username: row.username, fullName: row.full_name, grants, verifiedPersonalId: verifiedId(row), authMethod: row.auth_method },
    },
  };
}

/**
 * Resolves a cookie token to its live session and user, sliding the expiry at most every few minutes. With a cache,
 * a session read once is served from memory until a change notice or its age evicts it.
 */
export async function findSession(db: DbOrTx, token: string, ttlHours: number, cache?: SessionCache): Promise<SessionInfo | null> {
  const hash = tokenHash(token);
  const now = Date.now();
  const generation = cache?.currentGeneration ?? 0;
  const tenant = tenantOf(db);
  const cached = cache?.get(hash, now, tenant);
  const found = cached ?? (await readSession(db, hash, now));
  if (!found || found.expiresAt <= now) return null;
  let entry: CachedSession = cached ?? { ...found, tenant, cachedAt: now };
  if (now - found.lastSeenAt > TOUCH_EVERY_MS) {
    const expiresAt = now + ttlHours * 3_600_000;
    await db.updateTable('sessions').set({ last_seen_at: new Date(now), expires_at: new Date(expiresAt) }).where('token_hash', '=', hash).execute();
    entry = { ...entry, lastSeenAt: now, expiresAt };
  }
  // Kept only if no change notice came while this ran: the notice may be about what was just read.
  if (cache && entry !== cached) cache.put(hash, entry, generation);
  return entry.info;
}

export async function deleteSession(db: DbOrTx, hash: string): Promise<void> {
  await db.deleteFrom('sessions').where('token_hash', '=', hash).execute();
}

export async function deleteSessionsOfUser(db: DbOrTx, userId: string): Promise<void> {
  await db.deleteFrom('sessions').where('user_id', '=', userId).execute();
}
