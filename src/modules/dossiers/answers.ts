import { executeDeferred } from '../../platform/db/commit-batching.ts';
import type { DbOrTx, Tx } from '../../platform/db/database.ts';
import type { AnswerOrigin } from '../../platform/db/schema.ts';
import { type Answer, answerText, type FormField } from '../procedures/index.ts';
import { addCounts } from '../../platform/records/record-counts.ts';
import type { DossierRow } from './access.ts';
import { answerFacts, DOSSIER_COUNTS } from './dossier-counts.ts';
import { originOf, type PrefillSet, type ValueOrigin } from './prefill.ts';

/**
 * Keeps a dossier's answers, one row per field, each with where it came from (typed, or filled in from the account
 * or an earlier dossier and left unchanged), in the caller's transaction; counted for the auto-fill figure.
 */
export async function saveAnswers(tx: Tx, dossier: DossierRow, fields: readonly FormField[], answers: Readonly<Record<string, Answer>>, prefill: PrefillSet): Promise<void> {
  const dossierId = dossier.id;
  const rows = fields.flatMap((f) => {
    const value = answers[f.key];
    if (value === undefined) return [];
    const from: ValueOrigin = originOf(value, prefill.answers[f.key]);
    return [{ dossier_id: dossierId, field_key: f.key, prefill: f.prefill, value: JSON.stringify(value), origin: from.origin, source_dossier_id: from.sourceDossierId }];
  });
  if (rows.length === 0) return;
  await executeDeferred(tx, tx.insertInto('dossier_answers').values(rows));
  await addCounts(tx, DOSSIER_COUNTS, answerFacts(dossier, rows.map((r) => r.origin)));
}

export interface AnswerView {
  readonly key: string;
  readonly label: string;
  readonly group: string | null;
  readonly kind: string | null;
  readonly value: string;
  readonly origin: AnswerOrigin;
  readonly sourceDossierCode: string | null;
}

/** A dossier's answers in the order of its version's form (answers to fields it no longer has last), as shown. */
export async function answerViews(db: DbOrTx, dossierId: string, fields: readonly FormField[]): Promise<AnswerView[]> {
  const rows = await db
    .selectFrom('dossier_answers as a')
    .leftJoin('dossiers as s', 's.id', 'a.source_dossier_id')
    .select(['a.field_key', 'a.value', 'a.origin', 's.code as source_code'])
    .where('a.dossier_id', '=', dossierId)
    .execute();
  const at = (key: string) => {
    const i = fields.findIndex((f) => f.key === key);
    return i < 0 ? fields.length : i;
  };
  return rows
    .sort((a, b) => at(a.field_key) - at(b.field_key))
    .map((r) => {
      const f = fields.find((x) => x.key === r.field_key);
      return { key: r.field_key, label: f?.label ?? r.field_key, group: f?.group ?? null, kind: f?.kind ?? null, value: answerText(r.value as Answer), origin: r.origin, sourceDossierCode: r.source_code };
    });
}
