import type { CurrentUser } from '../../platform/auth/permissions.ts';
import type { DbOrTx } from '../../platform/db/database.ts';
import { AppError } from '../../platform/errors.ts';
import { localDateOf } from '../../platform/time.ts';
import { type Letterhead, letterheadsOf } from '../directory/index.ts';
import { paperRequirementsOf, type ProcessingTime, processingTimeOf } from '../procedures/index.ts';
import { type ChosenForm, formFor } from './form-templates.ts';
import { type DossierFormKind, whyNoForm } from './printable-forms.ts';
import { getDossierView } from './read-dossiers.ts';
import type { DossierView } from './schema.ts';

/** One paper received with a dossier, as the receipt slip lists it. */
export interface ReceivedPaper {
  readonly title: string;
  /** Counted at the counter; null when not counted (an online dossier, or a count not given). */
  readonly originals: number | null;
  readonly copies: number | null;
  /** Files attached: the online submission's electronic papers, or the counter's scans. */
  readonly files: number;
}

/** A timeline entry as the forms print it: where and by whom. */
export interface FormEvent {
  readonly action: string;
  readonly at: Date;
  readonly actor: string;
  /** Whether an official acted (an applicant's own withdrawal is signed by no officer). */
  readonly byOfficial: boolean;
  readonly actorPhone: string | null;
  readonly unit: string | null;
  readonly note: string | null;
  readonly detail: string | null;
  readonly fromStatus: number | null;
  readonly toStatus: number;
  readonly data: Readonly<Record<string, unknown>>;
}

/** Everything a dossier's forms print, read once. */
export interface FormFacts {
  readonly d: DossierView;
  /** The dossier's date (submission, Asia/Ho_Chi_Minh), which chooses the version of its forms. */
  readonly date: string;
  readonly receiving: Letterhead;
  readonly deciding: Letterhead | null;
  readonly applicant: { readonly name: string; readonly address: string | null; readonly phone: string | null };
  readonly processing: ProcessingTime;
  /** The appointment given at receipt (later pauses and new dates move `d.dueAt`, not what the slip said). */
  readonly appointedAt: Date | null;
  readonly sets: number;
  readonly papers: readonly ReceivedPaper[];
  readonly events: readonly FormEvent[];
}

/** What the counter records of the papers received, kept in the dossier's form data (see receive-dossier.ts). */
interface ReceivedData {
  readonly sets?: number;
  readonly received?: readonly { requirement: number; originals: number; copies: number }[];
}

async function receivedPapers(db: DbOrTx, dossierId: string, versionId: string, data: ReceivedData): Promise<ReceivedPaper[]> {
  const [{ requirements }, files] = await Promise.all([
    paperRequirementsOf(db, versionId),
    db.selectFrom('dossier_papers').select(['requirement_seq', 'title']).where('dossier_id', '=', dossierId).where('kind', '=', 'submitted').orderBy('requirement_seq').orderBy('added_at').execute(),
  ]);
  const seqs = requirements.map((r) => r.seq).filter((seq) => data.received?.some((x) => x.requirement === seq) || files.some((f) => f.requirement_seq === seq));
  const listed = seqs.map((seq) => {
    const counted = data.received?.find((x) => x.requirement === seq);
    return { title: requirements.find((r) => r.seq === seq)?.name ?? '', originals: counted?.originals ?? null, copies: counted?.copies ?? null, files: files.filter((f) => f.requirement_seq === seq).length };
  });
  // Papers attached outside the requirements (the version's list changed since) are listed under their own title.
  const others = files.filter((f) => f.requirement_seq === null || !requirements.some((r) => r.seq === f.requirement_seq));
  return [...listed, ...others.map((f) => ({ title: f.title, originals: null, copies: null, files: 1 }))];
}

/** The facts of a dossier's forms, for a user who may see it (404 otherwise). */
export async function formFacts(db: DbOrTx, user: CurrentUser, dossierId: string): Promise<FormFacts> {
  const d = await getDossierView(db, user, dossierId);
  const row = await db
    .selectFrom('dossiers')
    .select(['id', 'procedure_version_id', 'receiving_org_unit_id', 'deciding_org_unit_id', 'submitted_at', 'original_due_at', 'form_data'])
    .where('id', '=', dossierId)
    .executeTakeFirstOrThrow();
  const events = await db
    .selectFrom('dossier_events as e')
    .leftJoin('users as u', 'u.id', 'e.actor_id')
    .select(['e.action', 'e.occurred_at', 'e.actor_label', 'e.org_unit_id', 'e.note', 'e.from_status', 'e.to_status', 'e.data', 'u.kind as actor_kind', 'u.phone as actor_phone'])
    .where('e.dossier_id', '=', dossierId)
    .orderBy('e.id')
    .execute();
  const unitIds = [row.receiving_org_unit_id, row.deciding_org_unit_id, ...events.map((e) => e.org_unit_id)].filter((x): x is string => x !== null);
  const heads = await letterheadsOf(db, unitIds);
  const receiving = heads.get(row.receiving_org_unit_id);
  if (!receiving) throw new AppError('internal', { detail: 'receiving unit without letterhead' });
  const data = (row.form_data ?? {}) as ReceivedData;
  return {
    d,
    date: localDateOf(row.submitted_at),
    receiving,
    deciding: row.deciding_org_unit_id ? (heads.get(row.deciding_org_unit_id) ?? null) : null,
    applicant: { name: d.applicantName, address: d.form.address, phone: d.form.phone },
    processing: await processingTimeOf(db, row.procedure_version_id),
    appointedAt: row.original_due_at,
    sets: data.sets ?? 1,
    papers: await receivedPapers(db, row.id, row.procedure_version_id, data),
    events: events.map((e, i) => ({
      action: e.action,
      at: e.occurred_at,
      actor: e.actor_label,
      byOfficial: e.actor_kind === 'official',
      actorPhone: e.actor_kind === 'official' ? e.actor_phone : null,
      unit: e.org_unit_id ? (heads.get(e.org_unit_id)?.unitName ?? null) : null,
      note: e.note,
      detail: d.events[i]?.detail ?? null,
      fromStatus: e.from_status,
      toStatus: e.to_status,
      data: (e.data ?? {}) as Record<string, unknown>,
    })),
  };
}

/** The facts of one form of a dossier: 404 when the dossier is not the user's to see, 409 when the form does not exist. */
export async function factsForForm(db: DbOrTx, user: CurrentUser, dossierId: string, kind: DossierFormKind): Promise<{ facts: FormFacts; form: ChosenForm }> {
  const facts = await formFacts(db, user, dossierId);
  const missing = whyNoForm(facts.d, kind);
  if (missing) throw new AppError('conflict', { messageVi: missing, detail: `no ${kind} for this dossier` });
  return { facts, form: await formFor(db, kind, facts.date) };
}

/** The last timeline entry of one of these actions. */
export const lastEvent = (facts: FormFacts, ...actions: string[]): FormEvent | undefined => [...facts.events].reverse().find((e) => actions.includes(e.action));
