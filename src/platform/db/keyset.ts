import { type Expression, type RawBuilder, type SqlBool, sql } from 'kysely';
import { AppError, fieldError } from '../errors.ts';

/**
 * Paging by key instead of by offset: a page starts after (or ends before) the row a cursor names, so page 40 costs
 * what page 1 costs. A list declares its sort keys; the last key must make the order total (an id).
 */
export interface SortKey {
  /** The key expression, never NULL (COALESCE a nullable column to a bound such as 'infinity'). */
  readonly expr: RawBuilder<unknown>;
  readonly dir: 'asc' | 'desc';
  /** How the cursor's text is read back: instants keep the database's microseconds as text. */
  readonly type: 'timestamptz' | 'uuid' | 'text';
}

export interface KeysetOrder {
  /** Names the order, so a cursor of one list is refused by another. */
  readonly name: string;
  readonly keys: readonly SortKey[];
}

export type Cursor = { readonly after: readonly string[] } | { readonly before: readonly string[] };

const SHAPES: Record<SortKey['type'], RegExp> = {
  timestamptz: /^(infinity|\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d{1,6})?([+-]\d\d(:\d\d)?)?)$/,
  uuid: /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
  text: /^[\s\S]{0,200}$/,
};

export function encodeCursor(order: KeysetOrder, values: readonly string[]): string {
  return Buffer.from(JSON.stringify([order.name, ...values])).toString('base64url');
}

/** The key values a cursor names; a cursor that is not one of this order's is a field error, never a 500. */
export function decodeCursor(order: KeysetOrder, field: string, text: string): readonly string[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    parsed = null;
  }
  const ok =
    Array.isArray(parsed) &&
    parsed.length === order.keys.length + 1 &&
    parsed[0] === order.name &&
    order.keys.every((k, i) => typeof parsed[i + 1] === 'string' && SHAPES[k.type].test(parsed[i + 1] as string));
  if (!ok) throw AppError.validation([fieldError(field, 'cursor', 'Liên kết trang không còn đúng; hãy mở lại trang đầu của danh sách.', 'Not a cursor of this list: start again from the first page.')]);
  return (parsed as string[]).slice(1);
}

/** The key values of a row, as its cursor carries them: select `keyTexts(order)` with the row. */
export const keyTexts = (order: KeysetOrder) => order.keys.map((k, i) => sql<string>`(${k.expr})::text`.as(`key_${i}`));

export const rowKeys = (order: KeysetOrder, row: Readonly<Record<string, unknown>>): string[] => order.keys.map((_, i) => String(row[`key_${i}`]));

/** Rows strictly past `values` in the order (or before them, when reading backwards). */
export function pastCursor(order: KeysetOrder, values: readonly string[], backwards: boolean): Expression<SqlBool> {
  const value = (i: number) => {
    const k = order.keys[i] as SortKey;
    return sql`${values[i]}::${sql.raw(k.type)}`;
  };
  const beyond = order.keys.map((k, i) => {
    const op = (k.dir === 'asc') !== backwards ? '>' : '<';
    const equalBefore = order.keys.slice(0, i).map((p, j) => sql`${p.expr} = ${value(j)}`);
    return sql`(${sql.join([...equalBefore, sql`${k.expr} ${sql.raw(op)} ${value(i)}`], sql` AND `)})`;
  });
  return sql<SqlBool>`(${sql.join(beyond, sql` OR `)})`;
}

/** The ORDER BY of the order, reversed when reading backwards. */
export function orderSql(order: KeysetOrder, backwards: boolean): RawBuilder<unknown> {
  return sql.join(order.keys.map((k) => sql`${k.expr} ${sql.raw((k.dir === 'asc') !== backwards ? 'ASC' : 'DESC')}`));
}
