import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createDatabase, databaseUrl, dropDatabase } from '../../src/platform/db/server-databases.ts';
import { type CliRun, freePort, runCli } from '../support/cli-process.ts';

const template = inject('dbTemplate');

// PGlite has no lock across processes: two servers on one folder both start and overwrite each other's writes.
describe('one process per embedded data folder', () => {
  let dataDir: string;
  const running: CliRun[] = [];
  const env = () => ({ CQS_DATA_DIR: dataDir, CQS_DEMO: '0' });
  const start = async () => {
    const server = runCli(['start'], { ...env(), PORT: String(await freePort()) });
    running.push(server);
    return server;
  };
  const lockFile = () => path.join(dataDir, 'cqs.lock');

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'cqs-lock-'));
  });
  afterAll(async () => {
    for (const r of running) r.child.kill('SIGKILL');
    await rm(dataDir, { recursive: true, force: true });
  });

  it('refuses a second server and any command on the folder while a server holds it, and frees it on SIGTERM', async () => {
    const first = await start();
    await first.waitFor(/CQS is running/);
    const pid = String(first.child.pid);
    expect(JSON.parse(await readFile(lockFile(), 'utf8'))).toMatchObject({ pid: first.child.pid, command: 'cqs start' });

    const second = await start();
    expect((await second.exited).code).not.toBe(0);
    expect(second.output()).toContain(`Thư mục dữ liệu ${dataDir} đang được tiến trình ${pid} sử dụng (cqs start`);
    expect(second.output()).toContain('Dừng tiến trình đó hoặc dùng DATABASE_URL.');
    expect(second.output()).toContain(`The data folder ${dataDir} is in use by process ${pid} (cqs start`);
    expect(second.output()).not.toContain('CQS is running');

    for (const args of [['migrate'], ['audit', 'verify'], ['alerts']]) {
      const command = runCli(args, env());
      expect((await command.exited).code, args.join(' ')).not.toBe(0);
      expect(command.output()).toContain(`đang được tiến trình ${pid} sử dụng (cqs start`);
    }

    first.child.kill('SIGTERM');
    expect((await first.exited).code).toBe(0);
    expect(existsSync(lockFile())).toBe(false);

    const after = await start();
    await after.waitFor(/CQS is running/);
    after.child.kill('SIGINT');
    expect((await after.exited).code).toBe(0);
    expect(existsSync(lockFile())).toBe(false);
    // Six CLI processes, each loading the TypeScript loader and the embedded database: a guard against a hang, with
    // room for a machine busy with other work (it took over 120 s beside a ten-year seed).
  }, 300_000);

  it('frees the folder when a start fails half-way (its port taken)', async () => {
    const taken = net.createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    try {
      const server = runCli(['start'], { ...env(), PORT: String((taken.address() as net.AddressInfo).port) });
      running.push(server);
      expect((await server.exited).code).toBe(1);
      expect(server.output()).toContain('EADDRINUSE');
      expect(existsSync(lockFile())).toBe(false);
    } finally {
      taken.close();
    }
  }, 60_000);

  it('takes over a lock left by a process that is gone, and releases it when the command ends', async () => {
    const gone = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    const deadPid = Number(gone.stdout);
    await writeFile(lockFile(), JSON.stringify({ pid: deadPid, host: os.hostname(), command: 'cqs start', startedAt: '2026-01-01T00:00:00.000Z', token: 'old' }));
    const migrate = runCli(['migrate'], env());
    expect((await migrate.exited).code, migrate.output()).toBe(0);
    expect(migrate.output()).toContain('already applied');
    expect(existsSync(lockFile())).toBe(false);
  }, 60_000);

  it('refuses a lock held on another host, saying how to clear it', async () => {
    await writeFile(lockFile(), JSON.stringify({ pid: 1, host: 'may-khac', command: 'cqs start', startedAt: '2026-01-01T00:00:00.000Z', token: 'other' }));
    const migrate = runCli(['migrate'], env());
    expect((await migrate.exited).code).not.toBe(0);
    expect(migrate.output()).toContain(`trên máy may-khac`);
    expect(migrate.output()).toContain(`xóa tệp ${lockFile()}`);
    // The refused command leaves the other host's lock alone.
    expect(JSON.parse(await readFile(lockFile(), 'utf8'))).toMatchObject({ host: 'may-khac', token: 'other' });
    await rm(lockFile());
  }, 60_000);

  // On a server the folder holds only uploaded files, shared by as many app processes as needed: no lock.
  it.runIf(template.kind === 'postgres')('does not lock the folder when DATABASE_URL is set', async () => {
    if (template.kind !== 'postgres') return;
    await writeFile(lockFile(), JSON.stringify({ pid: process.pid, host: os.hostname(), command: 'cqs start', startedAt: '2026-01-01T00:00:00.000Z', token: 'live' }));
    const name = `cqs_lock_${process.pid}`;
    await createDatabase(template.url, name);
    try {
      const migrate = runCli(['migrate'], { ...env(), DATABASE_URL: databaseUrl(template.url, name) });
      expect((await migrate.exited).code, migrate.output()).toBe(0);
      expect(JSON.parse(await readFile(lockFile(), 'utf8'))).toMatchObject({ token: 'live' });
    } finally {
      await dropDatabase(template.url, name);
      await rm(lockFile(), { force: true });
    }
  }, 60_000);
});
