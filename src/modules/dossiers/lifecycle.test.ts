import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PAPER_RESULT, act } from '../../../test/support/dossier-steps.ts';
import { counterDossier, justiceProcedure } from '../../../test/support/justice.ts';
import { authHeaders, createTestApp, type Session, signIn, type TestApp } from '../../../test/support/test-app.ts';
import { verifyAuditLog } from '../../platform/audit/verify-audit-log.ts';
import { DEMO_CITIZEN_ID, DEMO_PASSWORD } from '../directory/demo-accounts.ts';
import { type DossierAction, DossierStatus, transitions } from './status.ts';

/**
 * Every pair of the lifecycle table, taken through the API on a real dossier by the officer or applicant whose action
 * it is: the status moves as the table says, the timeline and the audit log each gain one entry in the same
 * transaction, and every action the table does not list from that status is refused without a trace.
 */
const S = DossierStatus;
type Who = 'citizen' | 'counter' | 'specialist' | 'leader';
interface Held {
  id: string;
  rowVersion: number;
  status: number;
}

let t: TestApp;
let sessions: Record<Who, Session>;
let target: { procedureCode: string; justiceId: string };
let seq = 0;

beforeAll(async () => {
  t = await createTestApp();
  sessions = {
    citizen: await signIn(t.app, DEMO_CITIZEN_ID, DEMO_PASSWORD),
    counter: await signIn(t.app, 'motcua.tinh', DEMO_PASSWORD),
    specialist: await signIn(t.app, 'chuyenvien.stp', DEMO_PASSWORD),
    leader: await signIn(t.app, 'lanhdao.stp', DEMO_PASSWORD),
  };
  target = await justiceProcedure(t.db, { online: true, workingDays: true });
});
afterAll(async () => t.close());

const NOTE = 'Lý do ghi rõ cho người nộp hồ sơ';
// Each action with what it must carry: the amount of a fee, the result of a decision, the receipt of a counter payment.
const payloadFor = (action: DossierAction): Record<string, unknown> => ({
  note: NOTE,
  ...(action === 'request_fee' ? { amountVnd: 150_000, feeOverrideReason: 'Phí cấp bản sao theo đề nghị của người nộp' } : {}),
  ...(action === 'decide' ? PAPER_RESULT : {}),
  ...(action === 'pay_fee' ? { receiptNumber: 'BL-0001234' } : {}),
});

async function step(d: Held, action: DossierAction, who: Who): Promise<Held> {
  const res = await act(t.app, d.id, action, d.rowVersion, sessions[who], payloadFor(action));
  if (res.statusCode !== 200) throw new Error(`${action} by ${who}: ${res.statusCode} ${res.body}`);
  return res.json() as Held;
}

async function online(): Promise<Held> {
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/v1/dossiers',
    headers: { ...authHeaders(sessions.citizen), 'idempotency-key': `vong-doi-${++seq}` },
    payload: { procedureCode: target.procedureCode, decidingOrgUnitId: target.justiceId, address: '12 Trần Phú, Nha Trang', request: 'Đề nghị giải quyết thủ tục' },
  });
  return res.json() as Held;
}
const atCounter = async (): Promise<Held> => counterDossier(t.app, sessions.counter, { procedureCode: target.procedureCode, decidingOrgUnitId: target.justiceId, applicantName: `Người nộp ${++seq}` });
const processing = async () => step(await atCounter(), 'start_processing', 'counter');

/** Ways to bring a dossier to each status the table starts from; `paused` tells where a pause began. */
const reach: Record<string, () => Promise<Held>> = {
  submitted: online,
  received: atCounter,
  processing,
  supplementAtReception: async () => step(await online(), 'request_supplement', 'counter'),
  supplementInProcessing: async () => step(await processing(), 'request_supplement', 'specialist'),
  feeDue: async () => step(await processing(), 'request_fee', 'specialist'),
  atSecondStep: async () => step(await processing(), 'forward', 'specialist'),
  decided: async () => step(await step(await processing(), 'forward', 'specialist'), 'decide', 'leader'),
};

/** Each listed pair: where from, who takes it, and where it must lead. */
const cases: { from: keyof typeof reach; action: DossierAction; who: Who; to: number }[] = [
  { from: 'submitted', action: 'receive', who: 'counter', to: S.received },
  { from: 'submitted', action: 'refuse', who: 'counter', to: S.refused },
  { from: 'submitted', action: 'request_supplement', who: 'counter', to: S.supplementRequested },
  { from: 'submitted', action: 'withdraw', who: 'citizen', to: S.withdrawn },
  { from: 'received', action: 'start_processing', who: 'counter', to: S.processing },
  { from: 'received', action: 'stop', who: 'specialist', to: S.stopped },
  { from: 'received', action: 'withdraw', who: 'counter', to: S.withdrawn },
  { from: 'processing', action: 'request_supplement', who: 'specialist', to: S.supplementRequested },
  { from: 'processing', action: 'request_fee', who: 'specialist', to: S.feeDue },
  { from: 'processing', action: 'stop', who: 'specialist', to: S.stopped },
  { from: 'processing', action: 'forward', who: 'specialist', to: S.processing },
  { from: 'processing', action: 'withdraw', who: 'counter', to: S.withdrawn },
  { from: 'atSecondStep', action: 'send_back', who: 'leader', to: S.processing },
  { from: 'atSecondStep', action: 'decide', who: 'leader', to: S.decided },
  { from: 'supplementAtReception', action: 'provide_supplement', who: 'citizen', to: S.submitted },
  { from: 'supplementAtReception', action: 'withdraw', who: 'citizen', to: S.withdrawn },
  { from: 'supplementInProcessing', action: 'provide_supplement', who: 'counter', to: S.processing },
  { from: 'feeDue', action: 'pay_fee', who: 'counter', to: S.processing },
  { from: 'feeDue', action: 'withdraw', who: 'counter', to: S.withdrawn },
  { from: 'decided', action: 'deliver_result', who: 'counter', to: S.returned },
];

const traces = async (id: string) => {
  const events = await t.db.selectFrom('dossier_events').select(['action', 'from_status', 'to_status']).where('dossier_id', '=', id).orderBy('id').execute();
  const audits = await t.db.selectFrom('audit_events').select('action').where('entity_type', '=', 'dossier').where('entity_id', '=', id).orderBy('seq').execute();
  return { events, audits: audits.map((a) => a.action) };
};

describe('the dossier lifecycle through the API', () => {
  it('covers every pair of the transition table', () => {
    const listed = new Set(Object.entries(transitions).flatMap(([a, tr]) => tr.from.map((f) => `${f}:${a}`)));
    const statusOf: Record<keyof typeof reach, number> = { submitted: 1, received: 2, processing: 4, supplementAtReception: 5, supplementInProcessing: 5, feeDue: 6, atSecondStep: 4, decided: 9 };
    const covered = new Set(cases.map((c) => `${statusOf[c.from]}:${c.action}`));
    expect([...listed].filter((p) => !covered.has(p))).toEqual([]);
  });

  for (const c of cases) {
    it(`${c.from} → ${c.action} by the ${c.who} → status ${c.to}, on the timeline and in the audit log`, async () => {
      const d = await reach[c.from]!();
      const before = await traces(d.id);
      const after = await step(d, c.action, c.who);
      expect(after.status).toBe(c.to);
      const now = await traces(d.id);
      expect(now.events.slice(before.events.length)).toEqual([{ action: c.action, from_status: d.status, to_status: c.to }]);
      expect(now.audits.slice(before.audits.length)).toEqual([`dossier.${c.action}`]);
    });
  }

  it('refuses every action the table does not list from a status, leaving no trace', async () => {
    for (const from of ['submitted', 'received', 'feeDue', 'decided'] as const) {
      const d = await reach[from]!();
      const before = await traces(d.id);
      const refused = (Object.keys(transitions) as DossierAction[]).filter((a) => !(transitions[a].from as readonly number[]).includes(d.status));
      for (const action of refused) {
        for (const who of ['counter', 'specialist', 'leader'] as const) {
          const res = await act(t.app, d.id, action, d.rowVersion, sessions[who], payloadFor(action));
          expect([403, 409], `${from} ${action} by ${who}`).toContain(res.statusCode);
        }
      }
      expect(await traces(d.id)).toEqual(before);
    }
    expect((await verifyAuditLog(t.db, { seal: true })).problems).toEqual([]);
  });
});
