import { createHash } from 'node:crypto';
import { canonicalJson } from '../../platform/audit/canonical-json.ts';
import type { ProcedureRecord } from './procedure-record.ts';

/** Identifies a version's content: re-importing an unchanged record must not create a new version. */
export function contentHash(record: ProcedureRecord): string {
  return createHash('sha256').update(canonicalJson(record)).digest('hex');
}
