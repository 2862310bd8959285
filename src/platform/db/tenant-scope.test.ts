import { DummyDriver, Kysely, PostgresAdapter, PostgresIntrospector, PostgresQueryCompiler, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appHandleOn, createTestDb } from '../../../test/support/test-db.ts';
import type { DatabaseHandle, Db } from './database.ts';
import type { Database } from './schema.ts';
import { INSTALLATION_TENANT, TenantScope } from './tenant-scope.ts';

// Compiles without a database: what the plugin makes of each kind of statement.
const compiler = new Kysely<Database>({
  dialect: {
    createAdapter: () => new PostgresAdapter(),
    createDriver: () => new DummyDriver(),
    createIntrospector: (db) => new PostgresIntrospector(db),
    createQueryCompiler: () => new PostgresQueryCompiler(),
  },
  plugins: [new TenantScope(7)],
});

describe('tenant scope: every statement on a tenant table names the tenant', () => {
  it('filters a select, after the old condition in parentheses', () => {
    const q = compiler
      .selectFrom('dossiers')
      .select('id')
      .where((eb) => eb.or([eb('status', '=', 1), sql<boolean>`code = 'x' OR true`]))
      .compile();
    expect(q.sql).toBe(
      `select "id" from "dossiers" where (("status" = $1 or code = 'x' OR true)) and "dossiers"."tenant_id" = $2`,
    );
    expect(q.parameters).toEqual([1, 7]);
  });

  it('filters a joined tenant table in its ON, by its alias, and leaves catalogues alone', () => {
    const q = compiler
      .selectFrom('dossiers as d')
      .innerJoin('procedures as p', 'p.id', 'd.procedure_id')
      .leftJoin('users as u', 'u.id', 'd.assignee_id')
      .select(['d.id', 'p.national_code', 'u.full_name'])
      .compile();
    expect(q.sql).toBe(
      'select "d"."id", "p"."national_code", "u"."full_name" from "dossiers" as "d" ' +
        'inner join "procedures" as "p" on "p"."id" = "d"."procedure_id" ' +
        'left join "users" as "u" on ("u"."id" = "d"."assignee_id") and "u"."tenant_id" = $1 ' +
        'where "d"."tenant_id" = $2',
    );
    expect(q.parameters).toEqual([7, 7]);
  });

  it('filters sub-queries and common table expressions', () => {
    const q = compiler
      .with('open', (db) => db.selectFrom('dossiers').select('id').where('status', '=', 2))
      .selectFrom('dossier_events')
      .select('id')
      .where('dossier_id', 'in', (eb) => eb.selectFrom('open').select('open.id'))
      .compile();
    expect(q.sql).toBe(
      'with "open" as (select "id" from "dossiers" where ("status" = $1) and "dossiers"."tenant_id" = $2) ' +
        'select "id" from "dossier_events" where ("dossier_id" in (select "open"."id" from "open")) and "dossier_events"."tenant_id" = $3',
    );
  });

  it('adds the tenant to every inserted row and to the conflict target, unless the statement names it', () => {
    const q = compiler
      .insertInto('sign_in_backoffs')
      .values([
        { key: 'a', failures: 1, last_failed_at: new Date(0) },
        { key: 'b', failures: 1, last_failed_at: new Date(0) },
      ])
      .onConflict((oc) => oc.column('key').doUpdateSet({ failures: 2 }))
      .compile();
    expect(q.sql).toBe(
      'insert into "sign_in_backoffs" ("key", "failures", "last_failed_at", "tenant_id") values ($1, $2, $3, $4), ($5, $6, $7, $8) ' +
        'on conflict ("key", "tenant_id") do update set "failures" = $9',
    );
    expect(q.parameters.filter((p) => p === 7)).toHaveLength(2);
    const named = compiler.insertInto('sign_in_backoffs').values({ key: 'a', failures: 1, last_failed_at: new Date(0), tenant_id: 3 }).compile();
    expect(named.sql).toBe('insert into "sign_in_backoffs" ("key", "failures", "last_failed_at", "tenant_id") values ($1, $2, $3, $4)');
    expect(named.parameters[3]).toBe(3);
  });

  it('filters updates and deletes, and leaves statements on catalogues and the installation’s tables alone', () => {
    expect(compiler.updateTable('dossiers').set({ status: 3 }).where('id', '=', 'x').compile().sql).toBe(
      'update "dossiers" set "status" = $1 where ("id" = $2) and "dossiers"."tenant_id" = $3',
    );
    expect(compiler.deleteFrom('sessions').where('token_hash', '=', 'h').compile().sql).toBe(
      'delete from "sessions" where ("token_hash" = $1) and "sessions"."tenant_id" = $2',
    );
    expect(compiler.selectFrom('procedures').select('id').compile().sql).toBe('select "id" from "procedures"');
    expect(compiler.insertInto('rate_limit_hits').values({ key: 'k', window_started_at: new Date(0), hits: 1 }).compile().sql).toBe(
      'insert into "rate_limit_hits" ("key", "window_started_at", "hits") values ($1, $2, $3)',
    );
  });

  it('refuses an insert from a query that does not select the tenant itself', () => {
    expect(() =>
      compiler
        .insertInto('sessions')
        .columns(['token_hash'])
        .expression((eb) => eb.selectFrom('users').select('id'))
        .compile(),
    ).toThrow(/must select tenant_id/);
  });

  it('refuses a tenant that is not a tenant number', () => {
    expect(() => new TenantScope(0)).toThrow(RangeError);
    expect(() => new TenantScope(1.5)).toThrow(RangeError);
  });
});

describe('tenant scope on a database', () => {
  let h: DatabaseHandle;
  let other: Db;
  beforeAll(async () => {
    h = await createTestDb();
    other = h.db.withoutPlugins().withPlugin(new TenantScope(INSTALLATION_TENANT + 1));
  });
  afterAll(async () => h.close());

  it('keeps each tenant’s rows apart: the same key twice, each tenant reading, changing and removing its own', async () => {
    const row = { key: 'tenant-scope:probe', failures: 1, last_failed_at: new Date(0) };
    await h.db.insertInto('sign_in_backoffs').values(row).execute();
    await other.insertInto('sign_in_backoffs').values({ ...row, failures: 5 }).execute();
    await other
      .insertInto('sign_in_backoffs')
      .values(row)
      .onConflict((oc) => oc.column('key').doUpdateSet({ failures: 6 }))
      .execute();

    const read = async (db: Db) => db.selectFrom('sign_in_backoffs').select(['failures', 'tenant_id']).where('key', '=', row.key).execute();
    expect(await read(h.db)).toEqual([{ failures: 1, tenant_id: INSTALLATION_TENANT }]);
    expect(await read(other)).toEqual([{ failures: 6, tenant_id: INSTALLATION_TENANT + 1 }]);

    await h.db.updateTable('sign_in_backoffs').set({ failures: 9 }).where('key', '=', row.key).execute();
    await h.db.deleteFrom('sign_in_backoffs').where('key', '=', row.key).execute();
    expect(await read(h.db)).toEqual([]);
    expect(await read(other)).toEqual([{ failures: 6, tenant_id: INSTALLATION_TENANT + 1 }]);
  });

  it('refuses a row of one tenant that points at another tenant’s row', async () => {
    const user = await h.db.selectFrom('users').select('id').limit(1).executeTakeFirstOrThrow();
    await expect(
      other
        .insertInto('sessions')
        .values({ token_hash: 'tenant-scope:probe', user_id: user.id, csrf_token: 'c', expires_at: new Date(Date.UTC(2100, 0)), last_seen_at: new Date(0) })
        .execute(),
    ).rejects.toThrow(/sessions_user_id_fkey/);
  });

  // On Citus the app's own handle in the tests (appHandleOn) makes a statement that forgets its tenant an error, so
  // that every route and job the suite drives is shown to run on one shard.
  it('on Citus, runs a statement naming its tenant on one shard, and the app’s test handle refuses one that does not', async (ctx) => {
    const own = await appHandleOn(h);
    try {
      if (own.handle === h) return ctx.skip();
      await expect(sql`SELECT count(*) FROM sessions`.execute(own.handle.db)).rejects.toThrow(/multi-task query/);
      const named = await own.handle.db.selectFrom('sessions').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
      expect(Number(named.n)).toBeGreaterThanOrEqual(0);
      const plan = await sql<{ 'QUERY PLAN': string }>`EXPLAIN SELECT count(*) FROM sessions WHERE tenant_id = ${INSTALLATION_TENANT}`.execute(h.db);
      expect(plan.rows.map((r) => r['QUERY PLAN']).join('\n')).toMatch(/Task Count: 1\b/);
    } finally {
      await own.close();
    }
  });
});

