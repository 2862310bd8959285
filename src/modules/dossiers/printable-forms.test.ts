import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { act } from '../../../test/support/dossier-steps.ts';
import { counterDossier, justiceProcedure } from '../../../test/support/justice.ts';
import { authHeaders, createTestApp, type Session, signIn, type TestApp } from '../../../test/support/test-app.ts';
import { DEMO_CITIZEN_ID, DEMO_PASSWORD } from '../directory/demo-accounts.ts';
import { DOSSIER_FORM_KINDS, type DossierFormKind, formSlugs } from './printable-forms.ts';

/**
 * A printed form exists only for what happened to the dossier: asked for anything else, the API and the pages answer
 * 409 with the reason (problem+json), and the dossier's page does not link it.
 */
let t: TestApp;
let citizen: Session;
let counter: Session;
let specialist: Session;
let target: Awaited<ReturnType<typeof justiceProcedure>>;
const ids: Record<string, string> = {};

const online = async (key: string) => {
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/v1/dossiers',
    headers: { ...authHeaders(citizen), 'idempotency-key': `in-${key}` },
    payload: { procedureCode: target.procedureCode, decidingOrgUnitId: target.justiceId, address: '12 Trần Phú, Nha Trang', request: 'Đề nghị giải quyết thủ tục' },
  });
  expect(res.statusCode).toBe(201);
  return res.json() as { id: string; rowVersion: number };
};

beforeAll(async () => {
  t = await createTestApp();
  citizen = await signIn(t.app, DEMO_CITIZEN_ID, DEMO_PASSWORD);
  counter = await signIn(t.app, 'motcua.tinh', DEMO_PASSWORD);
  specialist = await signIn(t.app, 'chuyenvien.stp', DEMO_PASSWORD);
  target = await justiceProcedure(t.db, { online: true });
  ids.submitted = (await online('cho-tiep-nhan')).id;
  const refused = await online('tu-choi');
  await act(t.app, refused.id, 'refuse', refused.rowVersion, counter, { note: 'Thủ tục không thuộc thẩm quyền của cơ quan' });
  ids.refused = refused.id;
  const asked = await online('bo-sung');
  await act(t.app, asked.id, 'request_supplement', asked.rowVersion, counter, { note: 'Bổ sung tờ khai có chữ ký của người yêu cầu' });
  ids.asked = asked.id;
  const withdrawnEarly = await online('rut-som');
  await act(t.app, withdrawnEarly.id, 'withdraw', withdrawnEarly.rowVersion, citizen, { note: 'Tôi nộp nhầm thủ tục' });
  ids.withdrawnEarly = withdrawnEarly.id;
  const withdrawnLate = await online('rut-muon');
  const received = await act(t.app, withdrawnLate.id, 'receive', withdrawnLate.rowVersion, counter);
  await act(t.app, withdrawnLate.id, 'withdraw', received.json().rowVersion, citizen, { note: 'Tôi không còn nhu cầu' });
  ids.withdrawnLate = withdrawnLate.id;
  const atCounter = await counterDossier(t.app, counter, { procedureCode: target.procedureCode, decidingOrgUnitId: target.justiceId, applicantName: 'Trần Văn Quầy' });
  ids.atCounter = atCounter.id;
  const stopped = await counterDossier(t.app, counter, { procedureCode: target.procedureCode, decidingOrgUnitId: target.justiceId, applicantName: 'Lê Văn Dừng' });
  const processing = await act(t.app, stopped.id, 'start_processing', stopped.rowVersion, counter);
  const stop = await act(t.app, stopped.id, 'stop', processing.json().rowVersion, specialist, { note: 'Người được cấp đã được cấp thẻ ở tỉnh khác' });
  expect(stop.statusCode).toBe(200);
  ids.stopped = stopped.id;
});
afterAll(async () => t?.close());

const api = (id: string, kind: DossierFormKind, s: Session) => t.app.inject({ method: 'GET', url: `/api/v1/dossiers/${id}/forms/${kind}`, headers: { cookie: s.cookie } });

/** Which forms the API gives for the dossier; each refusal must be a 409 problem with a Vietnamese reason. */
async function formsGiven(id: string, s: Session): Promise<DossierFormKind[]> {
  const given: DossierFormKind[] = [];
  for (const kind of DOSSIER_FORM_KINDS) {
    const res = await api(id, kind, s);
    if (res.statusCode === 200) {
      expect(res.headers['content-type'], kind).toBe('application/pdf');
      given.push(kind);
      continue;
    }
    expect(res.statusCode, `${kind}: ${res.body}`).toBe(409);
    expect(res.headers['content-type'], kind).toContain('application/problem+json');
    expect(res.json().detail, kind).toMatch(/^Hồ sơ /);
  }
  return given;
}

/** The forms the dossier's page links, by their address. */
async function formsLinked(id: string, base: 'mot-cua' | 'dich-vu-cong', s: Session): Promise<string[]> {
  const page = await t.app.inject({ method: 'GET', url: `/${base}/ho-so/${id}`, headers: { cookie: s.cookie } });
  expect(page.statusCode).toBe(200);
  return [...page.body.matchAll(/href="[^"]*\/phieu\/([a-z-]+)\.pdf"/g)].map((m) => m[1] ?? '');
}

const slugs = (kinds: DossierFormKind[]) => kinds.map((k) => formSlugs[k]);

describe('printed forms exist only for what happened', () => {
  it('a dossier submitted online and not yet received has no form at all: no receipt slip, no control slip', async () => {
    expect(await formsGiven(ids.submitted ?? '', counter)).toEqual([]);
    expect(await formsLinked(ids.submitted ?? '', 'dich-vu-cong', citizen)).toEqual([]);
    expect(await formsLinked(ids.submitted ?? '', 'mot-cua', counter)).toEqual([]);
    for (const url of [`/dich-vu-cong/ho-so/${ids.submitted}/phieu/giay-tiep-nhan.pdf`, `/dich-vu-cong/ho-so/${ids.submitted}/giay-tiep-nhan.pdf`, `/mot-cua/ho-so/${ids.submitted}/phieu/kiem-soat.pdf`]) {
      const res = await t.app.inject({ method: 'GET', url, headers: { cookie: (url.startsWith('/mot-cua') ? counter : citizen).cookie } });
      expect(res.statusCode, url).toBe(409);
      expect(res.body).toContain('chưa được tiếp nhận');
    }
  });

  it('a refused dossier has its refusal and nothing else; one asked to supplement at reception has the request only', async () => {
    expect(await formsGiven(ids.refused ?? '', counter)).toEqual(['refusal']);
    expect(await formsLinked(ids.refused ?? '', 'mot-cua', counter)).toEqual(slugs(['refusal']));
    expect(await formsGiven(ids.asked ?? '', citizen)).toEqual(['supplement_request']);
    expect(await formsLinked(ids.asked ?? '', 'dich-vu-cong', citizen)).toEqual(slugs(['supplement_request']));
  });

  it('a received dossier has its receipt and control slips, and no apology, refusal, supplement request or stop notice', async () => {
    expect(await formsGiven(ids.atCounter ?? '', counter)).toEqual(['receipt', 'control_slip']);
    expect(await formsLinked(ids.atCounter ?? '', 'mot-cua', counter)).toEqual(slugs(['receipt', 'control_slip']));
    const apology = await t.app.inject({ method: 'GET', url: `/mot-cua/ho-so/${ids.atCounter}/xin-loi.pdf`, headers: { cookie: counter.cookie } });
    expect(apology.statusCode).toBe(409);
  });

  it('a stop notice answers a stop by the agency or the withdrawal of a dossier under way, not one withdrawn before reception', async () => {
    expect(await formsGiven(ids.stopped ?? '', specialist)).toEqual(['receipt', 'stop_notice', 'control_slip']);
    expect(await formsGiven(ids.withdrawnLate ?? '', citizen)).toEqual(['receipt', 'stop_notice', 'control_slip']);
    expect(await formsGiven(ids.withdrawnEarly ?? '', citizen)).toEqual([]);
    expect(await formsLinked(ids.withdrawnEarly ?? '', 'dich-vu-cong', citizen)).toEqual([]);
  });
});
