import type { Tx } from '../../platform/db/database.ts';
import { AppError } from '../../platform/errors.ts';
import { allocateNumber } from '../../platform/numbering/allocate-number.ts';
import { parseNumber, renderNumber } from '../../platform/numbering/template.ts';

/** Dossier codes are the kernel's 'dossier_code' series: per receiving agency, reset daily (regulations §1.2). */
export const DOSSIER_CODE_SERIES = 'dossier_code';

export interface CodeParts {
  readonly agency: string;
  /** Receipt date in Asia/Ho_Chi_Minh, YYYY-MM-DD. */
  readonly date: string;
  readonly seq: number;
}

/** Renders a code from a format template; the sequence is zero-padded to at least N digits and grows past it. */
export function renderCode(template: string, parts: CodeParts): string {
  return renderNumber(template, { date: parts.date, seq: parts.seq, parts: { agency: parts.agency } });
}

/** Reads a code back into its parts with the template it was made with; null when it does not fit. */
export function parseCode(template: string, code: string): CodeParts | null {
  const parsed = parseNumber(template, code);
  if (!parsed?.date || parsed.parts.agency === undefined) return null;
  return { agency: parsed.parts.agency, date: parsed.date, seq: parsed.seq };
}

/**
 * The code identifies the receiving agency by its e-identifier: without one, two such units would hand out the same
 * codes. The officer is told which setting is missing and where an administrator adds it.
 */
async function missingAgencyCode(tx: Tx, orgUnitId: string): Promise<AppError> {
  const unit = await tx.selectFrom('org_units').select('name').where('id', '=', orgUnitId).executeTakeFirst();
  const name = unit?.name ?? orgUnitId;
  return new AppError('setting_missing', {
    messageVi: `Đơn vị ${name} chưa có mã cơ quan (mã định danh) — quản trị viên cần khai báo tại Quản trị › Đơn vị.`,
    detail: `org unit ${orgUnitId} (${name}) has no agency code; an administrator must set it under Administration › Units`,
  });
}

/** Allocates the next code of a receiving agency's day from the dossier-code series in force on that day. */
export async function allocateDossierCode(tx: Tx, receiver: { orgUnitId: string; agencyCode: string | null }, date: string): Promise<string> {
  if (!receiver.agencyCode) throw await missingAgencyCode(tx, receiver.orgUnitId);
  const allocated = await allocateNumber(tx, DOSSIER_CODE_SERIES, { scopeKey: receiver.orgUnitId, date, parts: { agency: receiver.agencyCode } });
  return allocated.number;
}
