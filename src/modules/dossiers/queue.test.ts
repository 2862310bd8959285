import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { act, PAPER_RESULT } from '../../../test/support/dossier-steps.ts';
import { counterDossier, justiceProcedure } from '../../../test/support/justice.ts';
import { createTestApp, insertUser, type Session, signIn, type TestApp } from '../../../test/support/test-app.ts';
import { systemActor } from '../../platform/audit/audit-log.ts';
import { CalendarStore } from '../../platform/calendar/calendar-store.ts';
import { DEMO_PASSWORD } from '../directory/demo-accounts.ts';
import { activeUser } from '../../platform/auth/sessions.ts';
import { generateDemoDossiers } from './demo-dossiers.ts';
import { procedureInForce } from '../procedures/index.ts';
import { listDossiers } from './read-dossiers.ts';

let t: TestApp;
let counter: Session;
let specialist: Session;
let leader: Session;
let otherAgency: Session;
let justiceId: string;
let procedureCode: string;
let otherUnitId: string;

beforeAll(async () => {
  t = await createTestApp();
  counter = await signIn(t.app, 'motcua.tinh', DEMO_PASSWORD);
  specialist = await signIn(t.app, 'chuyenvien.stp', DEMO_PASSWORD);
  leader = await signIn(t.app, 'lanhdao.tinh', DEMO_PASSWORD);
  ({ justiceId, procedureCode } = await justiceProcedure(t.db, { workingDays: true }));
  const other = await t.db.selectFrom('org_units').select('id').where('kind', '=', 'department').where('id', '<>', justiceId).where('valid_to', 'is', null).orderBy('name').executeTakeFirstOrThrow();
  otherUnitId = other.id;
  await insertUser(t.db, { username: 'chuyenvien.khac', roles: [{ role: 'specialist', orgUnitId: otherUnitId }] });
  otherAgency = await signIn(t.app, 'chuyenvien.khac');
});
afterAll(async () => t.close());

const todo = async (s: Session, q: string) => {
  const res = await t.app.inject({ method: 'GET', url: `/api/v1/dossiers?view=todo&q=${encodeURIComponent(q)}`, headers: { cookie: s.cookie } });
  expect(res.statusCode).toBe(200);
  return (res.json() as { items: { code: string }[] }).items.map((i) => i.code);
};

describe('the "to do" queue follows what waits for each role', () => {
  it('has the counter receive, hand over and return, and the department process in between', async () => {
    const d = await counterDossier(t.app, counter, { procedureCode, decidingOrgUnitId: justiceId, applicantName: 'Lê Thị Hàng Đợi' });
    expect(await todo(counter, d.code)).toEqual([d.code]);
    expect(await todo(specialist, d.code)).toEqual([]);
    const processing = (await act(t.app, d.id, 'start_processing', d.rowVersion, counter)).json();
    expect(await todo(counter, d.code)).toEqual([]);
    expect(await todo(specialist, d.code)).toEqual([d.code]);
    expect(await todo(otherAgency, d.code)).toEqual([]);
    // A leader who only follows the province's dossiers sees every open one.
    expect(await todo(leader, d.code)).toEqual([d.code]);
    const fee = (await act(t.app, d.id, 'request_fee', processing.rowVersion, specialist, { amountVnd: 200_000, feeOverrideReason: 'Phí thẩm định theo biểu phí của tỉnh' })).json();
    expect(fee.status).toBe(6);
    expect(await todo(specialist, d.code)).toEqual([]);
    const waiting = await t.app.inject({ method: 'GET', url: `/api/v1/dossiers?view=waiting&q=${encodeURIComponent(d.code)}`, headers: { cookie: specialist.cookie } });
    expect(waiting.json().items.map((i: { code: string }) => i.code)).toEqual([d.code]);
    const paid = (await act(t.app, d.id, 'pay_fee', fee.rowVersion, counter, { receiptNumber: 'BL-0000057' })).json();
    const lead = await signIn(t.app, 'lanhdao.stp', DEMO_PASSWORD);
    const forwarded = (await act(t.app, d.id, 'forward', paid.rowVersion, specialist)).json();
    const decided = (await act(t.app, d.id, 'decide', forwarded.rowVersion, lead, PAPER_RESULT)).json();
    expect(decided.status).toBe(9);
    expect(await todo(specialist, d.code)).toEqual([]);
    expect(await todo(counter, d.code)).toEqual([d.code]);
  });
});

describe('the "due soon" queue', () => {
  it('looks ahead the same working days as the alerts, across a weekend', async () => {
    const d = await counterDossier(t.app, counter, { procedureCode, decidingOrgUnitId: justiceId, applicantName: 'Đỗ Văn Cuối Tuần' });
    await t.db.updateTable('dossiers').set({ due_at: new Date('2026-12-07T17:00:00+07:00') }).where('id', '=', d.id).execute();
    const user = await activeUser(t.db, { username: 'motcua.tinh' });
    if (!user) throw new Error('no demo counter officer');
    const calendar = await new CalendarStore(t.db).get();
    const dueSoon = async (now: string) => (await listDossiers(t.db, { calendar, now: new Date(now) }, user, { view: 'due_soon', q: d.code })).items.map((i) => i.code);
    // Due on Monday afternoon: two working days ahead on Friday morning, not yet on Thursday morning.
    expect(await dueSoon('2026-12-04T10:00:00+07:00')).toEqual([d.code]);
    expect(await dueSoon('2026-12-03T08:00:00+07:00')).toEqual([]);
  });
});

describe('the queue lists', () => {
  it("names each dossier's procedure, as the catalogue names its version", async () => {
    const d = await counterDossier(t.app, counter, { procedureCode, decidingOrgUnitId: justiceId, applicantName: 'Trần Văn Tên Thủ Tục' });
    const user = await activeUser(t.db, { username: 'motcua.tinh' });
    if (!user) throw new Error('no demo counter officer');
    const list = await listDossiers(t.db, { calendar: await new CalendarStore(t.db).get(), now: new Date() }, user, { view: 'all', q: d.code });
    expect(list.items.map((i) => [i.code, i.procedureName])).toEqual([[d.code, (await procedureInForce(t.db, procedureCode))?.name]]);
  });
});

describe('the queue page', () => {
  it('pages through a long queue, keeping the view and the search', async () => {
    const made = await generateDemoDossiers(t.db, await new CalendarStore(t.db).get(), systemActor('test'), { from: '2026-03-02', to: '2026-03-20', perDay: 10, seed: 7 });
    expect(made).toBeGreaterThan(100);
    const first = await t.app.inject({ method: 'GET', url: '/mot-cua?view=all', headers: { cookie: leader.cookie } });
    expect(first.statusCode).toBe(200);
    const total = Number(/trong ([\d.]+) hồ sơ/.exec(first.body)?.[1]?.replace(/\./g, ''));
    expect(total).toBeGreaterThanOrEqual(made);
    expect(first.body).toContain('Hồ sơ 1–50 trong');
    // The links keep the period the list covers (a year up to today unless the officer changes it) and page by key.
    const link = (body: string, label: string) => /href="(\/mot-cua\?view=all&amp;from=\d{4}-\d{2}-\d{2}&amp;to=\d{4}-\d{2}-\d{2}&amp;(?:after|before)=[A-Za-z0-9_-]+&amp;start=\d+)">/.exec(body.slice(0, body.indexOf(`>${label}</a>`) + 1))?.[1]?.replaceAll('&amp;', '&');
    const next = link(first.body, 'Trang sau');
    expect(next).toContain('&after=');
    expect(first.body).not.toContain('Trang trước');
    const second = await t.app.inject({ method: 'GET', url: next ?? '', headers: { cookie: leader.cookie } });
    expect(second.body).toContain('Hồ sơ 51–100 trong');
    const codes = (body: string) => [...body.matchAll(/<a href="\/mot-cua\/ho-so\/[^"]+">([^<]+)<\/a>/g)].map((m) => m[1]);
    expect(codes(second.body).filter((c) => codes(first.body).includes(c))).toEqual([]);
    // Back from the second page is the first page again, row for row.
    const back = await t.app.inject({ method: 'GET', url: link(second.body, 'Trang trước') ?? '', headers: { cookie: leader.cookie } });
    expect(back.body).toContain('Hồ sơ 1–50 trong');
    expect(codes(back.body)).toEqual(codes(first.body));
    expect(back.body).not.toContain('Trang trước');
    const bad = await t.app.inject({ method: 'GET', url: '/mot-cua?view=all&after=bm90LWEtY3Vyc29y', headers: { cookie: leader.cookie } });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('Liên kết trang không còn đúng');
  });

  it('pages the API by key through every match, each once, in both directions', async () => {
    const seen: string[] = [];
    const pages: { items: { id: string }[]; nextCursor: string | null; previousCursor: string | null }[] = [];
    let after: string | null = null;
    do {
      const res: { statusCode: number; json: () => (typeof pages)[number] } = await t.app.inject({ method: 'GET', url: `/api/v1/dossiers?view=all&from=2026-03-02&to=2026-03-20&limit=37${after ? `&after=${after}` : ''}`, headers: { cookie: leader.cookie } });
      expect(res.statusCode).toBe(200);
      const page: (typeof pages)[number] = res.json();
      pages.push(page);
      seen.push(...page.items.map((i: { id: string }) => i.id));
      after = page.nextCursor;
    } while (after);
    expect(pages.length).toBeGreaterThan(2);
    expect(new Set(seen).size).toBe(seen.length);
    const total = (await t.app.inject({ method: 'GET', url: '/api/v1/dossiers?view=all&from=2026-03-02&to=2026-03-20&limit=1', headers: { cookie: leader.cookie } })).json();
    if (!total.totalCapped) expect(seen.length).toBe(total.total);
    const last = pages.at(-1);
    const before = await t.app.inject({ method: 'GET', url: `/api/v1/dossiers?view=all&from=2026-03-02&to=2026-03-20&limit=37&before=${last?.previousCursor}`, headers: { cookie: leader.cookie } });
    expect(before.json().items.map((i: { id: string }) => i.id)).toEqual(pages.at(-2)?.items.map((i) => i.id));
    const both = await t.app.inject({ method: 'GET', url: `/api/v1/dossiers?view=all&after=${last?.previousCursor}&before=${last?.previousCursor}`, headers: { cookie: leader.cookie } });
    expect(both.statusCode).toBe(400);
    // A cursor of the "all" order is refused by the to-do order, and a forged one is a field error, never a 500.
    const forged = Buffer.from(JSON.stringify(['due', "2026-01-01'; DROP TABLE dossiers; --", 'x', 'y'])).toString('base64url');
    const refused = await t.app.inject({ method: 'GET', url: `/api/v1/dossiers?view=todo&after=${forged}`, headers: { cookie: leader.cookie } });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().errors?.[0]?.field ?? refused.json().fieldErrors?.[0]?.field).toBe('after');
  });

  it('bounds "all" by a submission period the officer can change, newest first', async () => {
    const march = await t.app.inject({ method: 'GET', url: '/api/v1/dossiers?view=all&from=2026-03-02&to=2026-03-20&limit=100', headers: { cookie: leader.cookie } });
    expect(march.statusCode).toBe(200);
    expect(march.json().total).toBeGreaterThan(100);
    const early = await t.app.inject({ method: 'GET', url: '/api/v1/dossiers?view=all&from=2026-03-02&to=2026-03-03&limit=100', headers: { cookie: leader.cookie } });
    expect(early.json().total).toBeLessThan(march.json().total);
    expect(early.json().total).toBeGreaterThan(0);
    const none = await t.app.inject({ method: 'GET', url: '/api/v1/dossiers?view=all&from=2020-01-01&to=2020-12-31', headers: { cookie: leader.cookie } });
    expect(none.json().total).toBe(0);
    // Typed on the page as dd/MM/yyyy, kept as typed; a reversed period is said next to the field.
    const page = await t.app.inject({ method: 'GET', url: '/mot-cua?view=all&from=02/03/2026&to=03/03/2026', headers: { cookie: leader.cookie } });
    expect(page.body).toMatch(/name="from"[^>]*value="02\/03\/2026"/);
    const reversed = await t.app.inject({ method: 'GET', url: '/mot-cua?view=all&from=20/03/2026&to=01/03/2026', headers: { cookie: leader.cookie } });
    expect(reversed.statusCode).toBe(400);
    expect(reversed.body).toContain('Ngày kết thúc phải sau ngày bắt đầu.');
    expect(reversed.body).toMatch(/name="to"[^>]*value="01\/03\/2026"/);
    const api = await t.app.inject({ method: 'GET', url: '/api/v1/dossiers?view=all&from=2026-03-20&to=2026-03-01', headers: { cookie: leader.cookie } });
    expect([api.statusCode, api.json().errors?.[0]?.field]).toEqual([400, 'to']);
  });

  it('counts the matches up to 1,000, then says there are more (page and API)', async () => {
    await generateDemoDossiers(t.db, await new CalendarStore(t.db).get(), systemActor('test'), { from: '2026-04-01', to: '2026-04-21', perDay: 80, seed: 9 });
    const api = await t.app.inject({ method: 'GET', url: '/api/v1/dossiers?view=all', headers: { cookie: leader.cookie } });
    expect(api.json()).toMatchObject({ total: 1000, totalCapped: true });
    const page = await t.app.inject({ method: 'GET', url: '/mot-cua?view=all', headers: { cookie: leader.cookie } });
    expect(page.body).toContain('Hồ sơ 1–50 trong hơn 1.000 hồ sơ; nhập mã, tên hoặc số định danh để thu hẹp.');
    // A search is not counted: it finds its page and says whether more follow.
    const one = await t.app.inject({ method: 'GET', url: `/api/v1/dossiers?view=all&q=${encodeURIComponent(api.json().items[0].code)}`, headers: { cookie: leader.cookie } });
    expect(one.json()).toMatchObject({ total: null, totalCapped: false, nextCursor: null });
    expect(one.json().items).toHaveLength(1);
    const common = await t.app.inject({ method: 'GET', url: `/mot-cua?view=all&q=${'-260421-'}`, headers: { cookie: leader.cookie } });
    expect(common.body).toContain('Hồ sơ 1–50 khớp với tìm kiếm; còn nữa ở trang sau.');
    const exact = await t.app.inject({ method: 'GET', url: `/mot-cua?view=all&q=${encodeURIComponent(api.json().items[0].code)}`, headers: { cookie: leader.cookie } });
    expect(exact.body).toContain('Hồ sơ 1–1 khớp với tìm kiếm.');
  });
});

describe('finding a dossier and a procedure', () => {
  it('finds a dossier in the queue by part of its code', async () => {
    const d = await counterDossier(t.app, counter, { procedureCode, decidingOrgUnitId: justiceId, applicantName: 'Hồ Thị Một Phần' });
    const [, daySeq] = /-(\d{6}-\d{4})$/.exec(d.code) ?? [];
    expect(await todo(counter, daySeq ?? 'none')).toContain(d.code);
    expect(await todo(counter, d.code.slice(0, 10).toLowerCase())).toContain(d.code);
    // Wildcards typed by the user are text, not patterns.
    expect(await todo(counter, '%_%')).toEqual([]);
  });

  it('lets the counter find a procedure by words of its name, with or without diacritics', async () => {
    const page = async (q: string) => t.app.inject({ method: 'GET', url: `/mot-cua/tiep-nhan?procedureCode=${encodeURIComponent(q)}`, headers: { cookie: counter.cookie } });
    for (const q of ['khai sinh', 'đăng ký khai sinh', 'DANG KY KHAI SINH']) {
      const res = await page(q);
      expect(res.statusCode, q).toBe(200);
      expect(res.body, q).toContain('href="/mot-cua/tiep-nhan?procedureCode=1.001193"');
      expect(res.body, q).toContain(`value="${q}"`);
    }
    const none = await page('không có thủ tục nào như thế');
    expect(none.body).toContain('Không tìm thấy thủ tục nào');
    // A code still goes straight to the receipt form.
    const form = await page('1.001193');
    expect(form.body).toContain('Tiếp nhận và cấp mã hồ sơ');
    expect((await page('9.999999')).body).toContain('Không có thủ tục mã này');
  });
});
