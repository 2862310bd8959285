import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { acquireDataDirLock, DataDirLockedError } from './data-dir-lock.ts';

describe('the data folder lock', () => {
  let folder: string;
  const file = () => path.join(folder, 'cqs.lock');
  beforeEach(async () => {
    folder = await mkdtemp(path.join(os.tmpdir(), 'cqs-lockfile-'));
  });
  afterEach(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  it('is held by one holder at a time, and free again once released', async () => {
    const lock = acquireDataDirLock(folder, 'cqs start');
    expect(JSON.parse(await readFile(file(), 'utf8'))).toMatchObject({ pid: process.pid, host: os.hostname(), command: 'cqs start' });
    expect(() => acquireDataDirLock(folder, 'cqs migrate')).toThrow(DataDirLockedError);
    lock.release();
    expect(existsSync(file())).toBe(false);
    acquireDataDirLock(folder, 'cqs migrate').release();
    // No draft or set-aside file is left behind.
    expect(await readdir(folder)).toEqual([]);
  });

  it('names the holder in Vietnamese and English', () => {
    const lock = acquireDataDirLock(folder, 'cqs start');
    try {
      acquireDataDirLock(folder, 'cqs migrate');
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(DataDirLockedError);
      expect((error as Error).message).toContain(`Thư mục dữ liệu ${folder} đang được tiến trình ${process.pid} sử dụng (cqs start`);
      expect((error as Error).message).toContain(`The data folder ${folder} is in use by process ${process.pid} (cqs start`);
    } finally {
      lock.release();
    }
  });

  it('takes over a lock naming this process that this process does not hold (a PID reused after a restart)', async () => {
    await writeFile(file(), JSON.stringify({ pid: process.pid, host: os.hostname(), command: 'cqs start', startedAt: '2026-01-01T00:00:00.000Z', token: 'before-restart' }));
    const lock = acquireDataDirLock(folder, 'cqs start');
    expect(JSON.parse(await readFile(file(), 'utf8')).token).not.toBe('before-restart');
    lock.release();
  });

  it('takes over an unreadable lock: locks are written whole before they appear', async () => {
    await writeFile(file(), '');
    acquireDataDirLock(folder, 'cqs migrate').release();
    expect(await readdir(folder)).toEqual([]);
  });

  it('refuses a lock held by a live process, and its release never removes another holder’s lock', async () => {
    const lock = acquireDataDirLock(folder, 'cqs start');
    const live = { pid: process.ppid, host: os.hostname(), command: 'cqs start', startedAt: '2026-01-01T00:00:00.000Z', token: 'parent' };
    // Someone removed our lock by hand and a live process took the folder: our release must leave theirs.
    await rm(file());
    await writeFile(file(), JSON.stringify(live));
    lock.release();
    expect(JSON.parse(await readFile(file(), 'utf8')).token).toBe('parent');
    expect(() => acquireDataDirLock(folder, 'cqs migrate')).toThrow(`tiến trình ${process.ppid}`);
  });
});
