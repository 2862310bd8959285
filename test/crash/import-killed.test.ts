import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { verifyAuditLog } from '../../src/platform/audit/verify-audit-log.ts';
import type { DatabaseHandle } from '../../src/platform/db/database.ts';
import { type ClonedDatabase, clonePostgresTemplate } from '../support/pg-clone.ts';

const template = inject('dbTemplate');

// A killed process on the embedded database can damage its data folder (PGlite runs in-process), so this runs
// against a PostgreSQL server, where the open transaction of a killed client is rolled back.
describe.runIf(template.kind === 'postgres')('a catalogue import killed mid-way', () => {
  let dir: string;
  let url: string;
  let clone: ClonedDatabase;
  let h: DatabaseHandle;

  beforeAll(async () => {
    if (template.kind !== 'postgres') return;
    clone = await clonePostgresTemplate('cqs_kill');
    url = clone.url;
    h = clone.handle;
    dir = await mkdtemp(path.join(os.tmpdir(), 'cqs-kill-'));
    const header = 'ma_thu_tuc,ten_thu_tuc,cap_thuc_hien,linh_vuc,kenh_nop,thoi_han_giai_quyet,phi_le_phi';
    const rows = Array.from({ length: 20_000 }, (_, i) => `9.${String(i).padStart(6, '0')},Thủ tục thử số ${i},Cấp xã,Thử nghiệm,Trực tuyến,5 Ngày làm việc,Miễn phí`);
    await writeFile(path.join(dir, 'lon.csv'), `${header}\n${rows.join('\n')}\n`);
  });
  afterAll(async () => {
    if (template.kind !== 'postgres') return;
    await clone.drop();
    await rm(dir, { recursive: true, force: true });
  });

  const runImport = (killAtProgress: boolean) =>
    new Promise<{ code: number | null; signal: NodeJS.Signals | null; output: string }>((resolve) => {
      const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'import', 'procedures', path.join(dir, 'lon.csv')], {
        env: { ...process.env, DATABASE_URL: url, LOG_LEVEL: 'silent' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      child.stdout.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        // Some batches are written but the transaction is still open: the worst moment to die.
        if (killAtProgress && /… [1-9]\d?%/.test(output)) child.kill('SIGKILL');
      });
      child.stderr.on('data', (chunk: Buffer) => {
        output += chunk.toString();
      });
      child.on('exit', (code, signal) => resolve({ code, signal, output }));
    });

  const imported = async () => Number((await h.db.selectFrom('procedures').select((eb) => eb.fn.countAll().as('n')).where('national_code', 'like', '9.%').executeTakeFirstOrThrow()).n);

  it('leaves nothing behind, and the retried import completes', async () => {
    const killed = await runImport(true);
    expect(killed.signal).toBe('SIGKILL');
    expect(await imported()).toBe(0);
    const runs = await h.db.selectFrom('import_runs').select('id').where('file_name', '=', 'lon.csv').execute();
    expect(runs).toEqual([]);
    expect((await verifyAuditLog(h.db, { seal: true })).problems).toEqual([]);
    const retried = await runImport(false);
    expect(retried.code).toBe(0);
    expect(await imported()).toBe(20_000);
    // Two imports of 20,000 procedures: on Citus every row is written to each node's copy of the catalogue.
  }, 180_000);
});
