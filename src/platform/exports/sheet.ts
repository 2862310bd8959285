import { localDateOf } from '../time.ts';

/** A cell of a table's body: text, a number, a calendar day (see `sheetDay`, shown dd/mm/yyyy) or nothing. */
export type CellValue = string | number | Date | null;

/** The local day (Asia/Ho_Chi_Minh) of an instant as a spreadsheet date: a whole day, whatever the server's zone. */
export const sheetDay = (d: Date | null): Date | null => (d ? new Date(`${localDateOf(d)}T00:00:00Z`) : null);

/** A cell above the table (letterhead, title, column headers), spanning to `toRow`/`toCol` when given. */
export interface HeaderCell {
  readonly row: number;
  readonly col: number;
  readonly toRow?: number;
  readonly toCol?: number;
  readonly value: string;
  readonly font?: { readonly bold?: boolean; readonly italic?: boolean; readonly size?: number };
  readonly boxed?: boolean;
}

/**
 * How a one-sheet workbook looks, as plain data (it crosses to the worker thread that writes it): the cells above the
 * table, the columns, and the print setup. Body rows are boxed, top-aligned and wrapped; date columns show dd/mm/yyyy.
 */
export interface SheetLayout {
  readonly sheetName: string;
  readonly columns: readonly { readonly width: number; readonly date?: boolean }[];
  readonly header: readonly HeaderCell[];
  /** The first row of the table's body; the rows above it are frozen and repeated on every printed page. */
  readonly firstBodyRow: number;
  /** The header rows repeated at the top of each printed page, e.g. '7:8'. */
  readonly printTitlesRow?: string;
  readonly landscape?: boolean;
}
