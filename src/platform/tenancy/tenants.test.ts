import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bulkDossiers } from '../../../bench/dossiers.ts';
import { insertOrgUnit } from '../../../test/support/org-fixture.ts';
import { anonCsrf, insertUser, TEST_PASSWORD, testConfig } from '../../../test/support/test-app.ts';
import { appHandleOn, createTestDb, type TestDbHandle } from '../../../test/support/test-db.ts';
import { buildApp } from '../../app.ts';
import { DEMO_PASSWORD } from '../../modules/directory/demo-accounts.ts';
import { systemActor } from '../audit/audit-log.ts';
import { sealAll } from '../audit/seal-audit-log.ts';
import type { Db } from '../db/database.ts';
import { asTenant, INSTALLATION_TENANT, TenantScope } from '../db/tenant-scope.ts';
import type { App } from '../http/server.ts';
import { PeriodicJob } from '../jobs/periodic-job.ts';
import { enqueueMessage } from '../outbox/outbox.ts';
import { OutboxWorker } from '../outbox/worker.ts';
import { addTenant } from './add-tenant.ts';
import { runTenantsCommand } from './tenants-command.ts';
import { TenantDirectory } from './tenants.ts';

describe('the tenant directory', () => {
  const two = new TenantDirectory([
    { id: 1, provinceCode: '56', name: 'Khánh Hòa', hosts: ['khanhhoa.cqs.test'] },
    { id: 2, provinceCode: '79', name: 'TP. Hồ Chí Minh', hosts: ['hcm.cqs.test', 'dichvucong.hcm.cqs.test'] },
  ]);

  it('serves one province whatever the host when it lists none or one', () => {
    expect(new TenantDirectory([]).forHost('anything.example')).toBe(INSTALLATION_TENANT);
    expect(new TenantDirectory([]).ids).toEqual([INSTALLATION_TENANT]);
    expect(new TenantDirectory([{ id: 7, provinceCode: '56', name: 'Khánh Hòa', hosts: [] }]).forHost(undefined)).toBe(7);
  });

  it('with several, names the province by host, case and port aside, and none for an unknown host', () => {
    expect(two.several).toBe(true);
    expect(two.forHost('HCM.cqs.test:8080')).toBe(2);
    expect(two.forHost('dichvucong.hcm.cqs.test')).toBe(2);
    expect(two.forHost('khanhhoa.cqs.test')).toBe(1);
    expect(two.forHost('localhost')).toBeUndefined();
    expect(two.forHost(undefined)).toBeUndefined();
    expect(two.forHost('[::1]:3000')).toBeUndefined();
    expect(two.ids).toEqual([1, 2]);
  });
});

describe('two provinces on one installation', () => {
  let h: TestDbHandle;
  let own: Awaited<ReturnType<typeof appHandleOn>>;
  let app: App;
  let hcm: Db;
  const HCM = 'hcm.cqs.test';
  const KH = 'khanhhoa.cqs.test';

  beforeAll(async () => {
    h = await createTestDb();
    await addTenant(h.db, systemActor('test'), { id: 1, provinceCode: '56', name: 'Khánh Hòa', hosts: [KH] });
    await addTenant(h.db, systemActor('test'), { id: 2, provinceCode: '79', name: 'Thành phố Hồ Chí Minh', hosts: [HCM] });
    hcm = h.db.withoutPlugins().withPlugin(new TenantScope(2));
    const unit = await insertOrgUnit(hcm, 'UBND Thành phố Hồ Chí Minh');
    await insertUser(hcm, { username: 'lanhdao.hcm', fullName: 'Lãnh đạo TP', roles: [{ role: 'agency_leader', orgUnitId: unit.id }] });
    // The same user name in both provinces: accounts are per province.
    await insertUser(hcm, { username: 'trung.ten', fullName: 'Người ở TP' });
    await insertUser(h.db, { username: 'trung.ten', fullName: 'Người ở Khánh Hòa' });
    own = await appHandleOn(h);
    app = await buildApp(testConfig(), own.handle.db);
    await app.ready();
  }, 120_000);
  afterAll(async () => {
    await app?.close();
    await own?.close();
    await h?.close();
  });

  const signInAt = async (host: string, username: string, password = TEST_PASSWORD) => {
    const csrf = await anonCsrf(app);
    const res = await app.inject({ method: 'POST', url: '/api/v1/auth/login', headers: { ...csrf, host }, payload: { username, password } });
    return { status: res.statusCode, cookie: res.cookies.map((c) => `${c.name}=${c.value}`).join('; ') };
  };
  const me = async (host: string, cookie: string) => {
    const res = await app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { host, cookie } });
    return { status: res.statusCode, fullName: res.statusCode === 200 ? (res.json() as { fullName: string }).fullName : null };
  };

  it('refuses a host no province answers on, in Vietnamese, but answers the health probes', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/v1/procedures', headers: { host: 'localhost' } });
    expect(res.statusCode).toBe(404);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.json()).toMatchObject({ detail: 'Địa chỉ này không thuộc tỉnh nào mà hệ thống phục vụ.' });
    expect((await app.inject({ method: 'GET', url: '/healthz', headers: { host: 'localhost' } })).statusCode).toBe(200);
  });

  it('signs each province’s people in at its own host only, and a session never crosses to the other', async () => {
    const at = await signInAt(HCM, 'lanhdao.hcm');
    expect(at.status).toBe(200);
    expect(await me(HCM, at.cookie)).toEqual({ status: 200, fullName: 'Lãnh đạo TP' });
    expect((await me(KH, at.cookie)).status).toBe(401);
    expect((await signInAt(KH, 'lanhdao.hcm')).status).toBe(401);

    const there = await signInAt(HCM, 'trung.ten');
    const here = await signInAt(KH, 'trung.ten');
    expect(await me(HCM, there.cookie)).toEqual({ status: 200, fullName: 'Người ở TP' });
    expect(await me(KH, here.cookie)).toEqual({ status: 200, fullName: 'Người ở Khánh Hòa' });
    expect((await me(KH, there.cookie)).status).toBe(401);
  });

  it('does not show one province’s dossier to the other’s leader, by list or by id', async () => {
    await bulkDossiers(h.db, 3);
    const dossier = await h.db.selectFrom('dossiers').select('id').limit(1).executeTakeFirstOrThrow();
    const leader = await signInAt(HCM, 'lanhdao.hcm');
    const byId = await app.inject({ method: 'GET', url: `/api/v1/dossiers/${dossier.id}`, headers: { host: HCM, cookie: leader.cookie } });
    expect(byId.statusCode).toBe(404);
    // Its own province's leader, at its own host, reads it.
    const own = await signInAt(KH, 'lanhdao.tinh', DEMO_PASSWORD);
    expect((await app.inject({ method: 'GET', url: `/api/v1/dossiers/${dossier.id}`, headers: { host: KH, cookie: own.cookie } })).statusCode).toBe(200);
    const list = await app.inject({ method: 'GET', url: '/api/v1/dossiers?view=all', headers: { host: HCM, cookie: leader.cookie } });
    expect(list.statusCode).toBe(200);
    expect((list.json() as { items: unknown[] }).items).toEqual([]);
  });

  it('keeps each province’s audit log, started when it was added, and seals each in its job', async () => {
    const job = new PeriodicJob('audit sealer', () => sealAll(own.handle.db), 60_000, [1, 2]);
    await job.tick();
    const unsealed = await sql<{ tenant_id: number; n: string }>`SELECT e.tenant_id, count(*) AS n FROM audit_events e
      WHERE NOT EXISTS (SELECT 1 FROM audit_seals s WHERE s.event_seq = e.seq AND s.tenant_id = e.tenant_id)
      GROUP BY e.tenant_id ORDER BY e.tenant_id`.execute(h.db.withoutPlugins());
    expect(unsealed.rows).toEqual([]);
    const added = await hcm.selectFrom('audit_events').select('action').where('action', '=', 'tenancy.tenant_added').execute();
    expect(added).toHaveLength(1);
  });

  it('delivers each province’s outgoing messages in the delivery job that runs for every province', async () => {
    await enqueueMessage(h.db, { topic: 'email', payload: { to: 'a@kh.test', subject: 'KH', text: 'Khánh Hòa' }, dedupeKey: 'tenancy:kh' });
    await enqueueMessage(hcm, { topic: 'email', payload: { to: 'a@hcm.test', subject: 'HCM', text: 'TP' }, dedupeKey: 'tenancy:hcm' });
    const sent: string[] = [];
    const worker = new OutboxWorker(own.handle.db, { email: { deliver: async (p) => void sent.push((p as { subject: string }).subject) } }, {}, 60_000, [1, 2]);
    await worker.tick();
    expect(sent.sort()).toEqual(['HCM', 'KH']);
    const left = await h.db.withoutPlugins().selectFrom('outbox_messages').select('tenant_id').where('status', '=', 'pending').where('dedupe_key', 'like', 'tenancy:%').execute();
    expect(left).toEqual([]);
  });

  it('runs statements as the province asTenant names, and refuses a province added twice or malformed', async () => {
    const names = await asTenant(2, () => own.handle.db.selectFrom('users').select('full_name').where('username', '=', 'trung.ten').execute());
    expect(names).toEqual([{ full_name: 'Người ở TP' }]);
    await expect(addTenant(h.db, systemActor('test'), { id: 3, provinceCode: '79', name: 'Lặp', hosts: [] })).rejects.toMatchObject({ code: 'conflict' });
    await expect(addTenant(h.db, systemActor('test'), { id: 0, provinceCode: '7', name: '', hosts: ['Bad Host'] })).rejects.toMatchObject({
      code: 'validation',
      fieldErrors: [{ field: 'id' }, { field: 'provinceCode' }, { field: 'name' }, { field: 'hosts' }],
    });
  });
});

describe('cqs tenants', () => {
  let h: TestDbHandle;
  beforeAll(async () => {
    h = await createTestDb();
  });
  afterAll(async () => h?.close());

  const run = async (...args: string[]) => {
    const lines: string[] = [];
    const status = await runTenantsCommand(h.db, args, { write: (l) => lines.push(l) });
    return { status, lines };
  };

  it('lists one province while none is listed, adds provinces with their hosts, and lists them', async () => {
    expect((await run('list')).lines).toEqual(['One province, tenant 1 (none listed): every host serves it.']);
    expect((await run('add', '--id', '1', '--province', '56', '--name', 'Khánh Hòa', '--host', 'KhanhHoa.cqs.test')).status).toBe(0);
    expect((await run('add', '--id', '2', '--province', '79', '--name', 'TP. Hồ Chí Minh', '--host', 'hcm.cqs.test', '--host', 'dvc.hcm.cqs.test')).status).toBe(0);
    expect((await run('list')).lines).toEqual(['1\t56\tKhánh Hòa\tkhanhhoa.cqs.test', '2\t79\tTP. Hồ Chí Minh\tdvc.hcm.cqs.test hcm.cqs.test']);
  });

  it('prints every problem of a refused province, and the usage for a malformed command', async () => {
    const refused = await run('add', '--id', '0', '--province', '7', '--name', 'x', '--host', 'bad_host');
    expect(refused.status).toBe(1);
    expect(refused.lines.slice(1).map((l) => l.trim().split(':')[0])).toEqual(['id', 'provinceCode', 'hosts']);
    expect((await run('add', '--id', '3')).status).toBe(64);
    expect((await run('remove')).status).toBe(64);
  });
});

