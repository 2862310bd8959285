import type { ClockEffect } from '../deadlines/deadline-clock.ts';

/**
 * A record type's lifecycle as data: its states, and for each action the states it may start from, where it leads,
 * who may take it, the guards that may refuse it, what it does to the deadline clock and whether the record's subject
 * (the applicant, the sender …) is told. Any (state, action) pair not declared is refused.
 *
 * `to`: a state; `'resume'`, back to the state held before the current pause; `'same'`, the state does not change
 * (an assignment, an extension, an alert — still a transition, so it is checked, timed, on the timeline and audited).
 */
export interface ActionRule<S extends number | string, K extends string, G extends string> {
  readonly from: readonly S[];
  readonly to: S | 'resume' | 'same';
  readonly clock: ClockEffect;
  /** Who may act, by actor kind; a kind limited to some of the `from` states acts only there. */
  readonly who: readonly { readonly kind: K; readonly from?: readonly S[] }[];
  readonly guards?: readonly G[];
  /** The clock's stop records timeliness (a decision), not only the end of the record's time. */
  readonly decides?: boolean;
  readonly notifies: boolean;
  readonly labelVi: string;
}

export interface RecordType<S extends number | string, A extends string, K extends string, G extends string> {
  /** The entity type in the audit log and the outbox references ('dossier', 'document' …). */
  readonly name: string;
  readonly stateLabelsVi: Readonly<Record<S, string>>;
  readonly finalStates: readonly S[];
  /** States in which the clock is paused, waiting for someone outside: `resume` returns to the state before. */
  readonly pauseStates: readonly S[];
  readonly actions: Readonly<Record<A, ActionRule<S, K, G>>>;
  /** What each guard checks, for the documentation and the error when none gives a reason. */
  readonly guardsVi: Readonly<Record<G, string>>;
}

/** One entry of a record's timeline, as the guards and `resume` read it. */
export interface PastEntry<S> {
  readonly action: string;
  readonly from_status: S | null;
  readonly to_status: S | null;
}

/** What the guards and `resume` need of a record's past. */
export interface RecordPast<S> {
  /** The state held before the current pause: where `resume` goes. */
  readonly pausedFrom: S | null;
  /** For each action taken, the states it was taken from, in order. */
  readonly takenFrom: ReadonlyMap<string, readonly S[]>;
}

export function pastOf<S extends number | string>(pauseStates: readonly S[], status: S, events: readonly PastEntry<S>[]): RecordPast<S> {
  const entered = pauseStates.includes(status) ? [...events].reverse().find((e) => e.to_status === status) : undefined;
  const takenFrom = new Map<string, S[]>();
  for (const e of events) {
    if (e.from_status === null) continue;
    const list = takenFrom.get(e.action) ?? [];
    list.push(e.from_status);
    takenFrom.set(e.action, list);
  }
  return { pausedFrom: entered?.from_status ?? null, takenFrom };
}

export type Decision<S> =
  | { readonly ok: true; readonly to: S; readonly clock: ClockEffect }
  | { readonly ok: false; readonly reasonVi?: string; readonly guard?: string };

/** A guard: null lets the action through, else the reason it is refused (in Vietnamese, for the officer). */
export type GuardCheck = () => string | null;

/**
 * Where an action leads from `current`, or why not. Guards run in declared order, and the first refusal wins.
 * Leaving a pause back to a state where the clock never ran (e.g. a supplement asked before reception) does not
 * start it.
 */
export function decideTransition<S extends number | string, A extends string, K extends string, G extends string>(
  type: RecordType<S, A, K, G>,
  current: S,
  action: A,
  past: RecordPast<S>,
  guards: Partial<Record<G, GuardCheck>>,
  clockStopped: (state: S) => boolean = () => false,
): Decision<S> {
  const rule = type.actions[action];
  if (!rule?.from.includes(current)) return { ok: false };
  for (const g of rule.guards ?? []) {
    const check = guards[g];
    const reason = check ? check() : type.guardsVi[g];
    if (reason !== null) return { ok: false, reasonVi: reason, guard: g };
  }
  if (rule.to === 'same') return { ok: true, to: current, clock: rule.clock };
  if (rule.to !== 'resume') return { ok: true, to: rule.to, clock: rule.clock };
  if (past.pausedFrom === null) return { ok: false };
  return { ok: true, to: past.pausedFrom, clock: clockStopped(past.pausedFrom) ? 'none' : rule.clock };
}

/** The actor kinds that may take an action from `current`. */
export function actorKinds<S extends number | string, A extends string, K extends string, G extends string>(type: RecordType<S, A, K, G>, action: A, current: S): K[] {
  const rule = type.actions[action];
  if (!rule) return [];
  return rule.who.filter((w) => !w.from || w.from.includes(current)).map((w) => w.kind);
}

/** The actions a record in `current` offers (before guards and who may take them). */
export function actionsFrom<S extends number | string, A extends string, K extends string, G extends string>(type: RecordType<S, A, K, G>, current: S): A[] {
  return (Object.keys(type.actions) as A[]).filter((a) => type.actions[a].from.includes(current));
}
