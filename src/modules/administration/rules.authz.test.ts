import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type Session, signIn, type TestApp } from '../../../test/support/test-app.ts';
import { DEMO_CITIZEN_ID, DEMO_PASSWORD } from '../directory/demo-accounts.ts';

let t: TestApp;
let admin: Session;
let citizen: Session;
let counter: Session;

beforeAll(async () => {
  t = await createTestApp();
  admin = await signIn(t.app, 'admin', DEMO_PASSWORD);
  citizen = await signIn(t.app, DEMO_CITIZEN_ID, DEMO_PASSWORD);
  counter = await signIn(t.app, 'motcua.tinh', DEMO_PASSWORD);
});
afterAll(async () => t.close());

describe('rule sets for administrators', () => {
  it('lists the one-stop rule sets with the legal basis of each rule', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/rule-sets?recordType=dossier', headers: { cookie: admin.cookie } });
    expect(res.statusCode).toBe(200);
    const sets = res.json() as { legalBasis: string; validFrom: string; validTo: string | null; rules: Record<string, unknown>; basis: Record<string, string> }[];
    // The set in force adds what happens to fees paid on withdrawal (migrations/0023) to the NĐ 118/2025 rules.
    expect(sets[0]).toMatchObject({ validFrom: '2026-12-01', validTo: null, rules: { maxExtensions: 1, alertWorkingDays: 2, paidFeeOnWithdrawal: expect.stringContaining('không được hoàn trả') } });
    expect(sets[1]).toMatchObject({ validFrom: '2025-07-01', validTo: '2026-12-01' });
    expect(sets[0]?.legalBasis).toContain('NĐ 118/2025');
    expect(Object.keys(sets[0]?.basis ?? {}).sort()).toEqual(Object.keys(sets[0]?.rules ?? {}).sort());
    const page = await t.app.inject({ method: 'GET', url: '/quan-tri/quy-tac', headers: { cookie: admin.cookie } });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Một cửa theo NĐ 118/2025/NĐ-CP');
  });

  it('refuses visitors, citizens and officials without the permission', async () => {
    for (const url of ['/api/v1/rule-sets', '/quan-tri/quy-tac']) {
      expect((await t.app.inject({ method: 'GET', url })).statusCode, url).toBe(401);
      expect((await t.app.inject({ method: 'GET', url, headers: { cookie: citizen.cookie } })).statusCode, url).toBe(403);
      expect((await t.app.inject({ method: 'GET', url, headers: { cookie: counter.cookie } })).statusCode, url).toBe(403);
    }
    const bad = await t.app.inject({ method: 'GET', url: "/api/v1/rule-sets?recordType=x'%20OR%201=1", headers: { cookie: admin.cookie } });
    expect(bad.statusCode).toBe(400);
  });
});
