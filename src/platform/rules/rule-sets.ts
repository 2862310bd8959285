import { inForceOn } from '../db/effective-dates.ts';
import type { TSchema } from 'typebox';
import type { DbOrTx } from '../db/database.ts';
import { AppError } from '../errors.ts';
import { parseWith } from '../http/validation.ts';

/**
 * A record type's rules in force from a date (alert horizon, extensions allowed, minimum reason length …), with the
 * legal basis of each. Rows are never edited: a change of rules is a new row from its effective date, and a record
 * keeps the id of the set it started under, so a rule change never alters records already in progress.
 */
export interface RuleSet<R> {
  readonly id: string;
  readonly recordType: string;
  readonly name: string;
  readonly legalBasis: string;
  readonly validFrom: string;
  readonly rules: R;
  /** Where each rule comes from (its article, or how it was decided when no text was found). */
  readonly basis: Readonly<Record<string, string>>;
}

// Rule sets never change once written, so each is parsed once per process.
const cache = new Map<string, RuleSet<unknown>>();

function toRuleSet<R>(row: { id: string; record_type: string; name: string; legal_basis: string; valid_from: string; rules: unknown; basis: unknown }, schema: TSchema): RuleSet<R> {
  let set = cache.get(row.id);
  if (!set) {
    const basis = Object.fromEntries(Object.entries((row.basis ?? {}) as Record<string, unknown>).map(([k, v]) => [k, String(v)]));
    set = { id: row.id, recordType: row.record_type, name: row.name, legalBasis: row.legal_basis, validFrom: row.valid_from, rules: parseWith(schema, row.rules), basis };
    cache.set(row.id, set);
  }
  return set as RuleSet<R>;
}

const COLUMNS = ['id', 'record_type', 'name', 'legal_basis', 'valid_from', 'rules', 'basis'] as const;

/** The rule set of a record type in force on a calendar date (YYYY-MM-DD, Asia/Ho_Chi_Minh). */
export async function ruleSetOn<R>(db: DbOrTx, recordType: string, date: string, schema: TSchema): Promise<RuleSet<R>> {
  const row = await db
    .selectFrom('rule_sets')
    .select(COLUMNS)
    .where('record_type', '=', recordType)
    .where(inForceOn(date))
    .orderBy('valid_from', 'desc')
    .executeTakeFirst();
  if (!row) throw new AppError('internal', { detail: `no ${recordType} rule set in force on ${date}` });
  return toRuleSet<R>(row, schema);
}

/** The rule set a record was pinned to. */
export async function ruleSetById<R>(db: DbOrTx, id: string, schema: TSchema): Promise<RuleSet<R>> {
  const cached = cache.get(id);
  if (cached) return cached as RuleSet<R>;
  const row = await db.selectFrom('rule_sets').select(COLUMNS).where('id', '=', id).executeTakeFirst();
  if (!row) throw new AppError('internal', { detail: `rule set ${id} not found` });
  return toRuleSet<R>(row, schema);
}

/** Every rule set of a record type, newest first (for administrators and the API). */
export function listRuleSets(db: DbOrTx, recordType: string) {
  return db.selectFrom('rule_sets').select([...COLUMNS, 'valid_to']).where('record_type', '=', recordType).orderBy('valid_from', 'desc').execute();
}
