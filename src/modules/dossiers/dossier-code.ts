import { sql } from 'kysely';
import type { Tx } from '../../platform/db/database.ts';
import { AppError } from '../../platform/errors.ts';

export interface CodeParts {
  readonly agency: string;
  /** Receipt date in Asia/Ho_Chi_Minh, YYYY-MM-DD. */
  readonly date: string;
  readonly seq: number;
}

const TOKEN = /\{(agency|yyMMdd|yyyyMMdd|seq:(\d))\}/g;

/** Renders a code from a format template; the sequence is zero-padded to at least N digits and grows past it. */
export function renderCode(template: string, parts: CodeParts): string {
  const [y, m, d] = parts.date.split('-');
  return template.replace(TOKEN, (_t, name: string, width?: string) => {
    if (name === 'agency') return parts.agency;
    if (name === 'yyMMdd') return `${(y ?? '').slice(2)}${m}${d}`;
    if (name === 'yyyyMMdd') return `${y}${m}${d}`;
    return String(parts.seq).padStart(Number(width), '0');
  });
}

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Reads a code back into its parts with the template it was made with; null when it does not fit. */
export function parseCode(template: string, code: string): CodeParts | null {
  const names: string[] = [];
  let pattern = '';
  let last = 0;
  for (const m of template.matchAll(TOKEN)) {
    pattern += escapeRe(template.slice(last, m.index));
    const name = m[1] ?? '';
    names.push(name.startsWith('seq') ? 'seq' : name);
    pattern += name === 'agency' ? '([0-9A-Z.]+?)' : name === 'yyMMdd' ? '(\\d{6})' : name === 'yyyyMMdd' ? '(\\d{8})' : `(\\d{${m[2]},})`;
    last = (m.index ?? 0) + m[0].length;
  }
  pattern += escapeRe(template.slice(last));
  const match = new RegExp(`^${pattern}$`).exec(code);
  if (!match) return null;
  const value = (name: string) => match[names.indexOf(name) + 1] ?? '';
  const ymd = names.includes('yyyyMMdd') ? value('yyyyMMdd') : `20${value('yyMMdd')}`;
  return { agency: value('agency'), date: `${ymd.slice(0, 4)}-${ymd.slice(4, 6)}-${ymd.slice(6, 8)}`, seq: Number(value('seq')) };
}

/** The code format in force on a receipt date (formats are data with effective dates). */
export async function codeFormatOn(tx: Tx, date: string): Promise<string> {
  const row = await tx
    .selectFrom('dossier_code_formats')
    .select('template')
    .where('valid_from', '<=', date)
    .where((eb) => eb.or([eb('valid_to', 'is', null), eb('valid_to', '>', date)]))
    .orderBy('valid_from', 'desc')
    .executeTakeFirst();
  if (!row) throw new AppError('internal', { detail: `no dossier-code format in force on ${date}` });
  return row.template;
}

/**
 * Allocates the next code of a receiving agency's day. One statement bumps the agency-day counter: concurrent
 * receipts queue on its row, and a receipt whose transaction rolls back gives its number back, so the daily
 * sequence has no gaps.
 */
export async function allocateDossierCode(tx: Tx, receiver: { orgUnitId: string; agencyCode: string }, date: string): Promise<string> {
  const result = await sql<{ last_value: number }>`
    INSERT INTO dossier_code_counters (org_unit_id, day, last_value) VALUES (${receiver.orgUnitId}, ${date}, 1)
    ON CONFLICT (org_unit_id, day) DO UPDATE SET last_value = dossier_code_counters.last_value + 1
    RETURNING last_value`.execute(tx);
  const seq = result.rows[0]?.last_value ?? 1;
  return renderCode(await codeFormatOn(tx, date), { agency: receiver.agencyCode, date, seq });
}
