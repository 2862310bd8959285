import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anonCsrf, authHeaders, createTestApp, type Session, signIn, type TestApp } from '../../../test/support/test-app.ts';
import { DEMO_CITIZEN_ID, DEMO_PASSWORD } from '../directory/demo-accounts.ts';

let t: TestApp;
let admin: Session;
let communeAdmin: Session;
let specialist: Session;
let citizen: Session;

beforeAll(async () => {
  t = await createTestApp();
  admin = await signIn(t.app, 'admin', DEMO_PASSWORD);
  communeAdmin = await signIn(t.app, 'quantri.xa', DEMO_PASSWORD);
  specialist = await signIn(t.app, 'chuyenvien.stp', DEMO_PASSWORD);
  citizen = await signIn(t.app, DEMO_CITIZEN_ID, DEMO_PASSWORD);
});
afterAll(async () => t.close());

async function message(status: 'pending' | 'sent' | 'failed', to: string): Promise<string> {
  const row = await t.db
    .insertInto('outbox_messages')
    .values({
      topic: 'email',
      payload: JSON.stringify({ to, subject: 'Hồ sơ thử', text: `Nội dung gửi ${to}` }),
      dedupe_key: `thu:${randomUUID()}`,
      record_type: null,
      record_id: null,
      status,
      attempts: status === 'failed' ? 8 : 1,
      next_attempt_at: new Date(Date.now() + 3_600_000),
      lease_until: null,
      lease_owner: null,
      last_error: status === 'sent' ? null : 'Greeting never received',
      created_at: new Date(),
      sent_at: status === 'sent' ? new Date() : null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

const rowOf = (id: string) => t.db.selectFrom('outbox_messages').select(['status', 'attempts', 'next_attempt_at']).where('id', '=', id).executeTakeFirstOrThrow();
const retryEvents = (id: string) => t.db.selectFrom('audit_events').select(['actor_label', 'summary']).where('action', '=', 'outbox.message_retried').where('entity_id', '=', id).execute();
const apiRetry = (id: string, headers: Record<string, string>) => t.app.inject({ method: 'POST', url: `/api/v1/outbox-messages/${id}/retry`, headers });
const pageRetry = (id: string, s: Session) =>
  t.app.inject({ method: 'POST', url: `/quan-tri/hop-thu/${id}/gui-lai`, headers: { cookie: s.cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: `_csrf=${s.csrf}` });

describe('failed outbox messages, seen and sent again by province administrators', () => {
  it('lists failed messages apart, with a "Gửi lại" button per message, and resends one from the page', async () => {
    const failed = await message('failed', 'that-bai@example.vn');
    const page = await t.app.inject({ method: 'GET', url: '/quan-tri/hop-thu', headers: { cookie: admin.cookie } });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('that-bai@example.vn');
    expect(page.body).toContain(`action="/quan-tri/hop-thu/${failed}/gui-lai"`);
    expect(page.body).toContain('Gửi lại');
    const res = await pageRetry(failed, admin);
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/quan-tri/hop-thu?da-gui-lai=1');
    const row = await rowOf(failed);
    expect(row).toMatchObject({ status: 'pending', attempts: 0 });
    expect(row.next_attempt_at.getTime()).toBeLessThanOrEqual(Date.now());
    expect(await retryEvents(failed)).toEqual([{ actor_label: 'admin', summary: { before: expect.objectContaining({ status: 'failed', attempts: 8, lastError: 'Greeting never received' }), after: { status: 'pending', attempts: 0 } } }]);
    const after = await t.app.inject({ method: 'GET', url: res.headers.location as string, headers: { cookie: admin.cookie } });
    expect(after.body).toContain('Đã đưa thông báo vào hàng gửi lại.');
    expect(after.body).not.toContain(`action="/quan-tri/hop-thu/${failed}/gui-lai"`);
    // A second click: the message is no longer failed; the page says so and nothing is audited.
    const again = await pageRetry(failed, admin);
    expect(again.statusCode).toBe(409);
    expect(again.body).toContain('Chỉ gửi lại được thông báo đã gửi không được.');
    expect(await retryEvents(failed)).toHaveLength(1);
  });

  it('refuses a page retry without the form token', async () => {
    const failed = await message('failed', 'khong-token@example.vn');
    const res = await t.app.inject({ method: 'POST', url: `/quan-tri/hop-thu/${failed}/gui-lai`, headers: { cookie: admin.cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: '' });
    expect(res.statusCode).toBe(403);
    expect((await rowOf(failed)).status).toBe('failed');
  });

  it('resends through the API: 200 for a failed message, 409 unless failed, 404 for an unknown id, 400 for a malformed one', async () => {
    const failed = await message('failed', 'api@example.vn');
    const ok = await apiRetry(failed, authHeaders(admin));
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ id: failed, topic: 'email', status: 'pending', attempts: 0, payload: { to: 'api@example.vn' } });
    expect(await retryEvents(failed)).toHaveLength(1);
    for (const id of [failed, await message('pending', 'cho@example.vn'), await message('sent', 'da-gui@example.vn')]) {
      const conflict = await apiRetry(id, authHeaders(admin));
      expect(conflict.statusCode).toBe(409);
      expect(conflict.headers['content-type']).toContain('application/problem+json');
      expect(conflict.json()).toMatchObject({ code: 'conflict', detail: 'Chỉ gửi lại được thông báo đã gửi không được.' });
    }
    const unknown = await apiRetry(randomUUID(), authHeaders(admin));
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().code).toBe('not_found');
    const malformed = await apiRetry('khong-phai-uuid', authHeaders(admin));
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json().errors.map((e: { field: string }) => e.field)).toEqual(['id']);
    const listed = await t.app.inject({ method: 'GET', url: '/api/v1/outbox-messages?status=failed', headers: { cookie: admin.cookie } });
    expect(listed.statusCode).toBe(200);
    expect(listed.json().every((m: { status: string }) => m.status === 'failed')).toBe(true);
    expect(listed.json().map((m: { id: string }) => m.id)).not.toContain(failed);
  });

  it('denies anonymous visitors (401), citizens (403), officials without the permission (403) and administrators of a commune (403)', async () => {
    const failed = await message('failed', 'tu-choi@example.vn');
    const anon = await anonCsrf(t.app);
    expect((await apiRetry(failed, anon)).statusCode).toBe(401);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/outbox-messages' })).statusCode).toBe(401);
    expect((await t.app.inject({ method: 'GET', url: '/quan-tri/hop-thu' })).statusCode).toBe(401);
    const anonPage = await t.app.inject({ method: 'POST', url: `/quan-tri/hop-thu/${failed}/gui-lai`, headers: { cookie: anon.cookie ?? '', 'content-type': 'application/x-www-form-urlencoded' }, payload: `_csrf=${anon['x-csrf-token']}` });
    expect(anonPage.statusCode).toBe(401);
    for (const who of [citizen, specialist, communeAdmin]) {
      const api = await apiRetry(failed, authHeaders(who));
      expect(api.statusCode).toBe(403);
      expect(api.headers['content-type']).toContain('application/problem+json');
      expect((await pageRetry(failed, who)).statusCode).toBe(403);
      expect((await t.app.inject({ method: 'GET', url: '/quan-tri/hop-thu', headers: { cookie: who.cookie } })).statusCode).toBe(403);
      expect((await t.app.inject({ method: 'GET', url: '/api/v1/outbox-messages', headers: { cookie: who.cookie } })).statusCode).toBe(403);
    }
    expect(await rowOf(failed)).toMatchObject({ status: 'failed', attempts: 8 });
    expect(await retryEvents(failed)).toEqual([]);
  });
});
