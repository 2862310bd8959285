import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type DossierAction, DossierStatus, isFinal, nextStatus, pastOf, transitions } from './status.ts';

const S = DossierStatus;
const statuses = Object.values(DossierStatus);
const actions = Object.keys(transitions) as DossierAction[];
// Rules as a dossier would be pinned to (the set in force since 01/07/2025, migrations/0019).
const FACTS = { rules: { alertWorkingDays: 2, maxExtensions: 1, supplementOncePerStage: true, minReasonLength: 10, minFeeVnd: 1000 }, extensions: 0, hasDueDate: true };
const pausedFrom = (s: DossierStatus | null) => ({ pausedFrom: s, takenFrom: new Map<string, DossierStatus[]>() });

describe('dossier lifecycle', () => {
  it('follows the national path from submission to result', () => {
    let s: DossierStatus = S.submitted;
    const path: DossierAction[] = ['receive', 'start_processing', 'request_fee', 'pay_fee', 'decide', 'deliver_result'];
    const seen: DossierStatus[] = [];
    for (const a of path) {
      const r = nextStatus(s, a, pausedFrom(s === S.feeDue ? S.processing : null), FACTS);
      expect(r.ok, a).toBe(true);
      if (r.ok) s = r.to;
      seen.push(s);
    }
    expect(seen).toEqual([2, 4, 6, 4, 9, 10]);
  });

  it('returns from a supplement to where it was asked for, restarting the clock only in processing', () => {
    expect(nextStatus(S.supplementRequested, 'provide_supplement', pausedFrom(S.submitted), FACTS)).toEqual({ ok: true, to: S.submitted, clock: 'none' });
    expect(nextStatus(S.supplementRequested, 'provide_supplement', pausedFrom(S.processing), FACTS)).toEqual({ ok: true, to: S.processing, clock: 'restart' });
    expect(nextStatus(S.supplementRequested, 'provide_supplement', pausedFrom(null), FACTS)).toEqual({ ok: false });
  });

  it('refuses every action on a final status', () => {
    for (const s of statuses.filter(isFinal)) for (const a of actions) expect(nextStatus(s, a, pausedFrom(S.processing), FACTS).ok, `${s} ${a}`).toBe(false);
  });

  it('allows withdrawal only before a decision', () => {
    const allowed = statuses.filter((s) => nextStatus(s, 'withdraw', pausedFrom(null), FACTS).ok);
    expect(allowed).toEqual([1, 2, 4, 5, 6]);
  });

  it('never leaves the national codes, and only listed pairs succeed', () => {
    fc.assert(
      fc.property(fc.constantFrom(...statuses), fc.constantFrom(...actions), fc.constantFrom(S.submitted, S.processing), (s, a, paused) => {
        const r = nextStatus(s, a, pausedFrom(paused), FACTS);
        expect(r.ok).toBe(transitions[a].from.includes(s));
        if (r.ok) expect(statuses).toContain(r.to);
      }),
    );
  });

  it('reaches a final status from any reachable status', () => {
    const reachable = new Set<DossierStatus>([S.submitted]);
    for (let round = 0; round < 10; round++) {
      for (const s of [...reachable]) for (const a of actions) {
        const r = nextStatus(s, a, pausedFrom(S.processing), FACTS);
        if (r.ok) reachable.add(r.to);
      }
    }
    for (const s of reachable) {
      const canEnd = isFinal(s) || actions.some((a) => {
        const r = nextStatus(s, a, pausedFrom(S.processing), FACTS);
        return r.ok && (isFinal(r.to) || r.to !== s);
      });
      expect(canEnd, String(s)).toBe(true);
    }
    expect([...reachable].sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });

  it('asks for a supplement once at reception and once after appraisal, never twice in one', () => {
    const events = [
      { action: 'request_supplement', from_status: S.submitted, to_status: S.supplementRequested },
      { action: 'provide_supplement', from_status: S.supplementRequested, to_status: S.submitted },
    ] as const;
    const atReception = pastOf(S.submitted, events);
    const again = nextStatus(S.submitted, 'request_supplement', atReception, FACTS);
    expect(again.ok).toBe(false);
    expect(again.ok ? '' : again.reasonVi).toContain('một lần, đầy đủ');
    expect(nextStatus(S.processing, 'request_supplement', atReception, FACTS).ok).toBe(true);
    const appraised = pastOf(S.processing, [...events, { action: 'receive', from_status: S.submitted, to_status: S.received }, { action: 'request_supplement', from_status: S.processing, to_status: S.supplementRequested }, { action: 'provide_supplement', from_status: S.supplementRequested, to_status: S.processing }]);
    expect(nextStatus(S.processing, 'request_supplement', appraised, FACTS).ok).toBe(false);
  });

  it('resumes a pause where the timeline says it began', () => {
    const past = pastOf(S.feeDue, [
      { action: 'request_supplement', from_status: S.processing, to_status: S.supplementRequested },
      { action: 'provide_supplement', from_status: S.supplementRequested, to_status: S.processing },
      { action: 'request_fee', from_status: S.processing, to_status: S.feeDue },
    ]);
    expect(past.pausedFrom).toBe(S.processing);
    expect(past.takenFrom.get("request_supplement")).toEqual([S.processing]);
    expect(nextStatus(S.feeDue, 'pay_fee', past, FACTS)).toEqual({ ok: true, to: S.processing, clock: 'resume' });
  });
});
