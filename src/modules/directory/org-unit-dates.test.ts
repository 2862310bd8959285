import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authHeaders, createTestApp, type Session, signIn, type TestApp } from '../../../test/support/test-app.ts';
import { DEMO_PASSWORD } from './demo-accounts.ts';

let t: TestApp;
let admin: Session;
// 18:30 UTC is already the next day in Vietnam: the dates a unit opens and closes on are Vietnamese calendar days.
let now = new Date('2027-03-15T18:30:00Z');

beforeAll(async () => {
  t = await createTestApp({}, { clock: { now: () => now } });
  admin = await signIn(t.app, 'admin', DEMO_PASSWORD);
});
afterAll(async () => t.close());

describe('org-unit dates follow the app clock', () => {
  it('opens a unit on the local day it is created and closes it on the local day it is closed', async () => {
    const justice = await t.db.selectFrom('org_units').select('id').where('name', '=', 'Sở Tư pháp').executeTakeFirstOrThrow();
    const created = await t.app.inject({ method: 'POST', url: '/api/v1/org-units', headers: authHeaders(admin), payload: { parentId: justice.id, name: 'Tổ công tác', kind: 'other' } });
    expect(created.statusCode).toBe(201);
    expect(created.json().validFrom).toBe('2027-03-16');
    now = new Date('2027-04-01T02:00:00Z');
    const closed = await t.app.inject({ method: 'POST', url: `/api/v1/org-units/${created.json().id}/close`, headers: { ...authHeaders(admin), 'if-match': '"1"' } });
    expect(closed.statusCode).toBe(200);
    expect(closed.json().validTo).toBe('2027-04-01');
    const row = await t.db.selectFrom('org_units').select('updated_at').where('id', '=', created.json().id).executeTakeFirstOrThrow();
    expect(row.updated_at.toISOString()).toBe('2027-04-01T02:00:00.000Z');
  });
});
