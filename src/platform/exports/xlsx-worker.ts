// The worker thread that writes a workbook (see xlsx-file.ts): building rows and compressing them is CPU work that
// would otherwise hold up every request on the main thread's event loop.
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { parentPort, workerData } from 'node:worker_threads';
import ExcelJS from 'exceljs';
import type { CellValue, SheetLayout } from './sheet.ts';

export type ToWorker = { readonly rows: readonly (readonly CellValue[])[] } | { readonly end: true };
export type FromWorker = { readonly ready: true } | { readonly ack: number } | { readonly done: true };

const thin = { style: 'thin' } as const;
const boxed = { top: thin, left: thin, bottom: thin, right: thin };

function openSheet(file: string, layout: SheetLayout) {
  const out = createWriteStream(file, { flags: 'wx', mode: 0o640 });
  const book = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true });
  book.creator = 'CQS';
  const sheet = book.addWorksheet(layout.sheetName, {
    pageSetup: { paperSize: 9, orientation: layout.landscape ? 'landscape' : 'portrait', fitToPage: true, fitToWidth: 1, fitToHeight: 0, horizontalCentered: true, ...(layout.printTitlesRow ? { printTitlesRow: layout.printTitlesRow } : {}) },
    views: [{ state: 'frozen', ySplit: layout.firstBodyRow - 1 }],
  });
  layout.columns.forEach((c, i) => {
    sheet.getColumn(i + 1).width = c.width;
  });
  for (const h of layout.header) {
    if (h.toRow !== undefined || h.toCol !== undefined) sheet.mergeCells(h.row, h.col, h.toRow ?? h.row, h.toCol ?? h.col);
    const cell = sheet.getCell(h.row, h.col);
    cell.value = h.value;
    cell.font = { ...h.font };
    cell.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
    if (h.boxed) cell.border = boxed;
  }
  // Borders of merged header cells are drawn on each cell they cover.
  for (const h of layout.header.filter((x) => x.boxed)) {
    for (let r = h.row; r <= (h.toRow ?? h.row); r++) for (let c = h.col; c <= (h.toCol ?? h.col); c++) sheet.getCell(r, c).border = boxed;
  }
  sheet.getRow(layout.firstBodyRow - 1).commit();
  return { out, book, sheet };
}

function run(): void {
  const port = parentPort;
  if (!port) throw new Error('xlsx-worker runs as a worker thread');
  const { file, layout } = workerData as { file: string; layout: SheetLayout };
  const { out, book, sheet } = openSheet(file, layout);
  let next = layout.firstBodyRow;
  // Messages are handled one after the other: each waits for the file to drain before it is acknowledged, so the
  // main thread never sends more than one batch ahead of the disk.
  let chain = Promise.resolve();
  port.on('message', (message: ToWorker) => {
    chain = chain.then(async () => {
      if ('rows' in message) {
        for (const values of message.rows) {
          const row = sheet.getRow(next++);
          row.values = [...values];
          layout.columns.forEach((c, j) => {
            const cell = row.getCell(j + 1);
            cell.border = boxed;
            cell.alignment = { vertical: 'top', wrapText: true };
            if (c.date) cell.numFmt = 'dd/mm/yyyy';
          });
          row.commit();
        }
        if (out.writableNeedDrain) await once(out, 'drain');
        port.postMessage({ ack: message.rows.length } satisfies FromWorker);
        return;
      }
      sheet.commit();
      await book.commit();
      port.postMessage({ done: true } satisfies FromWorker);
    });
    chain.catch((error: unknown) => {
      // Thrown outside the chain, so that the main thread gets it as the worker's 'error' event.
      setImmediate(() => {
        throw error;
      });
    });
  });
  port.postMessage({ ready: true } satisfies FromWorker);
}

run();
