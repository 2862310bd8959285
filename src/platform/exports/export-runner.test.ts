import { mkdtemp, readdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertUser } from '../../../test/support/test-app.ts';
import { createTestDb } from '../../../test/support/test-db.ts';
import type { DatabaseHandle } from '../db/database.ts';
import { type ExportKind, ExportRunner, EXPORT_KEEP_DAYS, readExport, requestExport } from './export-jobs.ts';
import { sheetDay } from './sheet.ts';

let h: DatabaseHandle;
let dir: string;
let userId: string;
let otherId: string;
let at = new Date('2026-03-02T03:00:00Z');
const clock = { now: () => at };
const logged: string[] = [];
let failuresLeft = 0;
// While set, the kind waits here before each batch after the first (a long export the test can hold mid-way).
let hold: { reached: () => void; release: Promise<void> } | null = null;

/** A kind that writes `rows` numbered lines with a date column, in batches of 1,000, failing while told to. */
const numbers: ExportKind = {
  kind: 'test.numbers',
  permission: 'dossiers.register',
  async open(_db, params) {
    const rows = Number(params.rows);
    return {
      total: rows,
      layout: { sheetName: 'Số', columns: [{ width: 8 }, { width: 12, date: true }], header: [{ row: 1, col: 1, toCol: 2, value: 'Các số', font: { bold: true } }], firstBodyRow: 2 },
      async *batches() {
        for (let i = 0; i < rows; i += 1000) {
          if (hold && i >= 1000) {
            hold.reached();
            await hold.release;
          }
          if (failuresLeft > 0 && i >= 1000) {
            failuresLeft -= 1;
            throw new Error('the database went away');
          }
          yield Array.from({ length: Math.min(1000, rows - i) }, (_, j) => [i + j + 1, sheetDay(new Date('2026-03-01T20:00:00Z'))]);
        }
      },
    };
  },
};

const actor = (id: string) => ({ id, label: 'test', requestId: null });
const ask = (rows: number, who = userId) => requestExport(h.db, clock.now(), actor(who), { kind: 'test.numbers', params: { rows }, title: `${rows} số`, fileName: `so-${rows}.xlsx` });
const runner = () => {
  const r = new ExportRunner(h.db, dir, clock, (line) => logged.push(line));
  r.addKinds([numbers]);
  return r;
};

beforeAll(async () => {
  h = await createTestDb();
  dir = await mkdtemp(path.join(os.tmpdir(), 'cqs-exports-'));
  userId = await insertUser(h.db, { username: 'xuat.tep' });
  otherId = await insertUser(h.db, { username: 'nguoi.khac' });
});
afterAll(async () => h.close());

describe('background exports', () => {
  it('writes a queued export in a worker thread, counting its progress, and keeps it for its requester only', async () => {
    const view = await ask(2500);
    expect(view).toMatchObject({ status: 'queued', rowsDone: 0, rowsTotal: null });
    const audit = await h.db.selectFrom('audit_events').select(['action', 'actor_id']).where('entity_id', '=', view.id).execute();
    expect(audit).toEqual([{ action: 'export.requested', actor_id: userId }]);
    const r = runner();
    expect(await r.runPending()).toBe(1);
    const done = await readExport(h.db, userId, view.id, clock.now());
    expect(done).toMatchObject({ status: 'done', rowsDone: 2500, rowsTotal: 2500 });
    expect(done.byteSize).toBeGreaterThan(1000);
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(r.fileOf(view.id));
    const sheet = book.getWorksheet('Số');
    if (!sheet) throw new Error('no sheet');
    expect(sheet.getCell('A1').value).toBe('Các số');
    expect(sheet.getCell('A2501').value).toBe(2500);
    // The local day of 20:00 UTC on 1 March is 2 March in Asia/Ho_Chi_Minh, whatever the server's zone.
    expect((sheet.getCell('B2').value as Date).toISOString()).toBe('2026-03-02T00:00:00.000Z');
    expect(sheet.getCell('B2').numFmt).toBe('dd/mm/yyyy');
    await expect(readExport(h.db, otherId, view.id, clock.now())).rejects.toMatchObject({ code: 'not_found' });
    await expect(readExport(h.db, userId, 'not-an-id', clock.now())).rejects.toMatchObject({ code: 'not_found' });
  });

  it('answers a second request for the same export, while it is waiting, with the first (a double submit writes once)', async () => {
    const [a, b] = await Promise.all([ask(10), ask(10)]);
    expect(b.id).toBe(a.id);
    expect((await ask(11)).id).not.toBe(a.id);
    // Someone else's identical request is their own.
    expect((await ask(10, otherId)).id).not.toBe(a.id);
    expect(await runner().runPending()).toBe(3);
    // Once written, asking again writes it again (the data may have changed).
    expect((await ask(10)).id).not.toBe(a.id);
    await runner().runPending();
  });

  it('takes up an export whose process died mid-way once its lease has run out, and leaves no half file', async () => {
    const view = await ask(1500);
    // A process that claimed it and died: running, a lease that ran out, a partial file under the temporary name.
    await h.db.updateTable('exports').set({ status: 'running', attempts: 1, rows_done: 1000, lease_until: new Date(at.getTime() - 1000) }).where('id', '=', view.id).execute();
    await writeFile(`${path.join(dir, view.id)}.xlsx.part`, 'PK half a zip');
    expect(await runner().runPending()).toBe(1);
    expect(await readExport(h.db, userId, view.id, clock.now())).toMatchObject({ status: 'done', rowsDone: 1500 });
    expect((await readdir(dir)).filter((f) => f.endsWith('.part'))).toEqual([]);
    // A lease still running belongs to a live process: it is left alone.
    const live = await ask(5);
    await h.db.updateTable('exports').set({ status: 'running', lease_until: new Date(at.getTime() + 60_000) }).where('id', '=', live.id).execute();
    expect(await runner().runPending()).toBe(0);
    await h.db.deleteFrom('exports').where('id', '=', live.id).execute();
  });

  it('puts an export being written back in the queue, untouched, when the server stops', async () => {
    const view = await ask(4000);
    let reached = () => {};
    let release = () => {};
    const atSecondBatch = new Promise<void>((resolve) => {
      reached = resolve;
    });
    hold = { reached, release: new Promise<void>((resolve) => (release = resolve)) };
    const r = runner();
    const running = r.runPending();
    await atSecondBatch;
    const stopped = r.stop();
    release();
    hold = null;
    await stopped;
    expect(await running).toBe(0);
    const row = await h.db.selectFrom('exports').select(['status', 'attempts', 'rows_done', 'lease_until']).where('id', '=', view.id).executeTakeFirstOrThrow();
    expect({ ...row, rows_done: Number(row.rows_done) }).toEqual({ status: 'queued', attempts: 0, rows_done: 0, lease_until: null });
    expect((await readdir(dir)).filter((f) => f.startsWith(view.id))).toEqual([]);
    // The next start writes it in full.
    expect(await runner().runPending()).toBe(1);
    expect(await readExport(h.db, userId, view.id, clock.now())).toMatchObject({ status: 'done', rowsDone: 4000 });
  });

  it('tries a failing export again and gives up after three attempts, saying so', async () => {
    failuresLeft = 1;
    const once = await ask(3000);
    expect(await runner().runPending()).toBe(1);
    expect(await readExport(h.db, userId, once.id, clock.now())).toMatchObject({ status: 'done', rowsDone: 3000 });
    failuresLeft = 3;
    const never = await ask(3001);
    expect(await runner().runPending()).toBe(0);
    const failed = await readExport(h.db, userId, never.id, clock.now());
    expect(failed.status).toBe('failed');
    expect(logged.filter((l) => l.includes(never.id))).toHaveLength(3);
    expect((await readdir(dir)).filter((f) => f.startsWith(never.id))).toEqual([]);
    // A kind this deployment does not have fails at once.
    const unknown = await requestExport(h.db, clock.now(), actor(userId), { kind: 'test.gone', params: {}, title: 'x', fileName: 'x.xlsx' });
    await runner().runPending();
    expect((await readExport(h.db, userId, unknown.id, clock.now())).status).toBe('failed');
  });

  it('removes an export and its file once it has been kept for its days', async () => {
    const view = await ask(20);
    const r = runner();
    await r.runPending();
    expect(await readdir(dir)).toContain(`${view.id}.xlsx`);
    at = new Date(at.getTime() + EXPORT_KEEP_DAYS * 86_400_000 + 1000);
    await expect(readExport(h.db, userId, view.id, clock.now())).rejects.toMatchObject({ code: 'not_found' });
    await r.runPending();
    expect(await readdir(dir)).not.toContain(`${view.id}.xlsx`);
    expect(await h.db.selectFrom('exports').select('id').where('id', '=', view.id).execute()).toEqual([]);
  });
});
