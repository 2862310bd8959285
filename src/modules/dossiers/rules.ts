import { type Static, Type } from 'typebox';
import type { DbOrTx } from '../../platform/db/database.ts';
import { type RuleSet, ruleSetById, ruleSetOn } from '../../platform/rules/rule-sets.ts';

/**
 * The one-stop rules a dossier is handled under, pinned on it when it is created (migrations/0019 holds the sets and
 * the legal basis of each rule). A change of rules is a new set from its effective date; dossiers already in
 * progress keep theirs.
 */
export const DossierRulesSchema = Type.Object({
  /** Officers are warned when this many working days or fewer are left (at least one day ahead, Mẫu 04). */
  alertWorkingDays: Type.Number({ minimum: 0.5, maximum: 10 }),
  /** How many times the deciding unit may set a new date after apologising. */
  maxExtensions: Type.Integer({ minimum: 0, maximum: 5 }),
  /** A supplement is asked once and in full per stage (at reception; after appraisal). */
  supplementOncePerStage: Type.Boolean(),
  /** The least length of a reason that goes on a refusal, supplement request or stop notice. */
  minReasonLength: Type.Integer({ minimum: 1, maximum: 200 }),
  /** The smallest fee the deciding unit may ask for, in VND. */
  minFeeVnd: Type.Integer({ minimum: 0 }),
  /**
   * What the applicant is told, before confirming a withdrawal, of fees already paid (migrations/0023). Sets before it
   * say nothing, and the page says so instead of guessing.
   */
  paidFeeOnWithdrawal: Type.Optional(Type.String({ minLength: 10, maxLength: 500 })),
});
export type DossierRules = Static<typeof DossierRulesSchema>;

export const DOSSIER_RULES = 'dossier';

export const dossierRulesOn = (db: DbOrTx, date: string): Promise<RuleSet<DossierRules>> => ruleSetOn<DossierRules>(db, DOSSIER_RULES, date, DossierRulesSchema);
export const dossierRulesOf = (db: DbOrTx, ruleSetId: string): Promise<RuleSet<DossierRules>> => ruleSetById<DossierRules>(db, ruleSetId, DossierRulesSchema);
