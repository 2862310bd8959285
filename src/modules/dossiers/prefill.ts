import type { CurrentUser } from '../../platform/auth/permissions.ts';
import type { DbOrTx } from '../../platform/db/database.ts';
import type { AnswerOrigin, PrefillFact } from '../../platform/db/schema.ts';
import { type CitizenProfile, citizenProfileOf, communesByCode } from '../directory/index.ts';
import { type Answer, type AnswerInput, type FormField, SEX_OPTIONS, sameAnswer } from '../procedures/index.ts';

/** A value offered before the person types anything, and where it comes from. */
export interface Prefilled {
  readonly value: AnswerInput;
  readonly origin: Exclude<AnswerOrigin, 'typed'>;
  readonly sourceDossierId: string | null;
  readonly sourceCode: string | null;
}

/** The contact part every application has (besides the e-form): filled in the same way. */
export type ContactKey = 'address' | 'phone' | 'email';
export const CONTACT_KEYS: readonly ContactKey[] = ['address', 'phone', 'email'];

export interface PrefillSet {
  /** By e-form field key. */
  readonly answers: Readonly<Record<string, Prefilled>>;
  readonly contact: Readonly<Partial<Record<ContactKey, Prefilled>>>;
}

/** Where a kept value came from. */
export interface ValueOrigin {
  readonly origin: AnswerOrigin;
  readonly sourceDossierId: string | null;
}

export const EMPTY_PREFILL: PrefillSet = { answers: {}, contact: {} };

/** What the account says for each fact (sex as the forms' "Nam"/"Nữ"). */
function accountFacts(p: CitizenProfile): Partial<Record<PrefillFact, AnswerInput>> {
  const facts: Partial<Record<PrefillFact, AnswerInput>> = {
    full_name: p.fullName,
    ...(p.personalId ? { personal_id: p.personalId } : {}),
    ...(p.phone ? { phone: p.phone } : {}),
    ...(p.email ? { email: p.email } : {}),
    ...(p.dateOfBirth ? { date_of_birth: p.dateOfBirth } : {}),
    ...(p.sex ? { sex: p.sex === 'male' ? SEX_OPTIONS[0] : SEX_OPTIONS[1] } : {}),
    ...(p.ethnicity ? { ethnicity: p.ethnicity } : {}),
    ...(p.address?.street ? { address: { commune: p.address.place.communeCode, street: p.address.street } } : {}),
  };
  return facts;
}

/** Whether a value can be offered for this field: a choice among its options, an address on a commune in force. */
function fits(field: FormField, value: AnswerInput, communesInForce: ReadonlySet<string>): boolean {
  if (field.kind === 'select') return typeof value === 'string' && field.options.includes(value);
  if (field.kind === 'address') return typeof value === 'object' && communesInForce.has(value.commune);
  return typeof value === 'string';
}

/**
 * What a citizen's form starts with: for each field that asks a fact about the applicant, the account's value, else
 * the answer to the same fact in their latest dossier (of any procedure); the contact part likewise. Officers'
 * forms (counter receipts) start empty: they type what the applicant gives them.
 */
export async function prefillFor(db: DbOrTx, user: CurrentUser, fields: readonly FormField[]): Promise<PrefillSet> {
  if (user.kind !== 'citizen') return EMPTY_PREFILL;
  const profile = await citizenProfileOf(db, user.id);
  if (!profile) return EMPTY_PREFILL;
  const facts = new Set(fields.flatMap((f) => (f.prefill ? [f.prefill] : [])));
  const earlier =
    facts.size === 0
      ? []
      : await db
          .selectFrom('dossier_answers as a')
          .innerJoin('dossiers as d', 'd.id', 'a.dossier_id')
          .select(['a.prefill', 'a.value', 'd.id', 'd.code'])
          .where('d.applicant_user_id', '=', user.id)
          .where('a.prefill', 'in', [...facts])
          .orderBy('d.submitted_at', 'desc')
          .limit(500)
          .execute();
  const latest = await db.selectFrom('dossiers').select(['id', 'code', 'form_data']).where('applicant_user_id', '=', user.id).orderBy('submitted_at', 'desc').limit(1).executeTakeFirst();
  const fromAccount = accountFacts(profile);
  const fromDossier = (fact: PrefillFact) => earlier.find((r) => r.prefill === fact);
  const candidates = fields.flatMap((f) => (f.prefill ? [fromAccount[f.prefill], fromDossier(f.prefill)?.value as Answer | undefined] : []));
  const codes = candidates.flatMap((v) => (typeof v === 'object' && v !== null ? [v.commune] : []));
  const inForce = new Set((await communesByCode(db, codes)).keys());

  const answers: Record<string, Prefilled> = {};
  for (const f of fields) {
    if (!f.prefill) continue;
    const own = fromAccount[f.prefill];
    const prior = fromDossier(f.prefill);
    const priorValue = prior ? storedAsInput(prior.value as Answer) : undefined;
    if (own !== undefined && fits(f, own, inForce)) answers[f.key] = { value: own, origin: 'account', sourceDossierId: null, sourceCode: null };
    else if (prior && priorValue !== undefined && fits(f, priorValue, inForce)) answers[f.key] = { value: priorValue, origin: 'previous_dossier', sourceDossierId: prior.id, sourceCode: prior.code };
  }
  const before = (latest?.form_data ?? {}) as Partial<Record<ContactKey, string>>;
  const contactOwn: Partial<Record<ContactKey, string>> = { ...(profile.address?.street ? { address: profile.address.text } : {}), ...(profile.phone ? { phone: profile.phone } : {}), ...(profile.email ? { email: profile.email } : {}) };
  const contact: Partial<Record<ContactKey, Prefilled>> = {};
  for (const k of CONTACT_KEYS) {
    const own = contactOwn[k];
    const prior = before[k];
    if (own) contact[k] = { value: own, origin: 'account', sourceDossierId: null, sourceCode: null };
    else if (typeof prior === 'string' && prior !== '' && latest) contact[k] = { value: prior, origin: 'previous_dossier', sourceDossierId: latest.id, sourceCode: latest.code };
  }
  return { answers, contact };
}

/** A kept answer as a form would give it again (an address without its text). */
function storedAsInput(a: Answer): AnswerInput | undefined {
  if (typeof a === 'object' && a !== null) return typeof a.commune === 'string' && typeof a.street === 'string' ? { commune: a.commune, street: a.street } : undefined;
  return a;
}

/**
 * Where each value came from: a value equal to the one offered is the offer's (account or earlier dossier); anything
 * else, including an offer the person changed, was typed.
 */
export function originOf(value: Answer | AnswerInput | undefined, offered: Prefilled | undefined): ValueOrigin {
  return offered && sameAnswer(value, offered.value) ? { origin: offered.origin, sourceDossierId: offered.sourceDossierId } : { origin: 'typed', sourceDossierId: null };
}
