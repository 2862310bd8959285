import { sql } from 'kysely';

/**
 * The condition for a row of an effective-dated table (valid_from inclusive, valid_to exclusive, NULL while in force)
 * being in force on a calendar date: rule sets, numbering series and every other rule kept as dated versions.
 */
export const inForceOn = (date: string) => sql<boolean>`valid_from <= ${date} AND (valid_to IS NULL OR valid_to > ${date})`;
