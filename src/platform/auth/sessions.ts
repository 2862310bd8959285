import { createHash, randomBytes } from 'node:crypto';
import type { Expression } from 'kysely';
import { jsonArrayFrom } from 'kysely/helpers/postgres';
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

/** Resolves a cookie token to its live session and user, sliding the expiry at most every few minutes. */
export async function findSession(db: DbOrTx, token: string, ttlHours: number): Promise<SessionInfo | null> {
  const hash = tokenHash(token);
  const row = await db
    .selectFrom('sessions as s')
    .innerJoin('users as u', 'u.id', 's.user_id')
    .select(['s.csrf_token', 's.expires_at', 's.last_seen_at', 's.auth_method', 'u.id', 'u.kind', 'u.username', 'u.full_name', 'u.status', 'u.personal_id', 'u.identity_verified_at'])
    // The grants come with the session: one round trip per authenticated request.
    .select((eb) => grantsOf(db, eb.ref('u.id')).as('grants'))
    .where('s.token_hash', '=', hash)
    .executeTakeFirst();
  const kind = row ? personKind(row.kind) : null;
  if (!row || !kind || row.status !== 'active' || row.expires_at.getTime() <= Date.now()) return null;
  if (Date.now() - row.last_seen_at.getTime() > TOUCH_EVERY_MS) {
    await db
      .updateTable('sessions')
      .set({ last_seen_at: new Date(), expires_at: new Date(Date.now() + ttlHours * 3_600_000) })
      .where('token_hash', '=', hash)
      .execute();
  }
  const grants = kind === 'official' ? row.grants : [];
  return {
    csrfToken: row.csrf_token,
    tokenHash: hash,
    user: { id: row.id, kind, username: row.username, fullName: row.full_name, grants, verifiedPersonalId: verifiedId(row), authMethod: row.auth_method },
  };
}

export async function deleteSession(db: DbOrTx, hash: string): Promise<void> {
  await db.deleteFrom('sessions').where('token_hash', '=', hash).execute();
}

export async function deleteSessionsOfUser(db: DbOrTx, userId: string): Promise<void> {
  await db.deleteFrom('sessions').where('user_id', '=', userId).execute();
}
