import { randomBytes } from 'node:crypto';
import { linkSync, mkdirSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * PGlite runs PostgreSQL inside the process and has no lock across processes: two processes on one folder each
 * believe they own it and overwrite each other's pages. This lock file, created only if absent, lets one process
 * at a time open the embedded data folder.
 */
export interface LockOwner {
  readonly pid: number;
  readonly host: string;
  readonly command: string;
  readonly startedAt: string;
  /** Random per acquisition: tells our own lock from another one left with the same PID (containers reuse PIDs). */
  readonly token: string;
}

export interface DataDirLock {
  readonly file: string;
  release(): void;
}

export class DataDirLockedError extends Error {
  constructor(
    readonly folder: string,
    readonly owner: LockOwner,
  ) {
    super(lockedMessage(folder, owner));
    this.name = 'DataDirLockedError';
  }
}

function lockedMessage(folder: string, owner: LockOwner): string {
  const elsewhere = owner.host !== os.hostname();
  const where = elsewhere ? ` trên máy ${owner.host}` : '';
  const whereEn = elsewhere ? ` on host ${owner.host}` : '';
  // A process on another host cannot be checked from here: say how to clear the lock once it is known to be gone.
  const hint = elsewhere ? ` Nếu tiến trình đó đã dừng, xóa tệp ${path.join(folder, LOCK_FILE)}.` : '';
  const hintEn = elsewhere ? ` If that process has ended, delete ${path.join(folder, LOCK_FILE)}.` : '';
  return (
    `Thư mục dữ liệu ${folder} đang được tiến trình ${owner.pid}${where} sử dụng (${owner.command}, từ ${owner.startedAt}). Dừng tiến trình đó hoặc dùng DATABASE_URL.${hint}\n` +
    `The data folder ${folder} is in use by process ${owner.pid}${whereEn} (${owner.command}, since ${owner.startedAt}). Stop that process or use DATABASE_URL.${hintEn}`
  );
}

/** The lock's name inside the data folder. */
export const LOCK_FILE = 'cqs.lock';

/** Tokens of the locks this process holds, so that a lock file naming our own PID but not held by us is stale. */
const held = new Map<string, string>();

function readText(file: string): string | null {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

function parseOwner(text: string): LockOwner | null {
  try {
    const value = JSON.parse(text) as Partial<LockOwner>;
    if (typeof value.pid !== 'number' || typeof value.token !== 'string') return null;
    return { pid: value.pid, host: String(value.host ?? ''), command: String(value.command ?? ''), startedAt: String(value.startedAt ?? ''), token: value.token };
  } catch {
    return null;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to another user — it is alive.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * A lock is stale when its process is gone. Locks are written whole before they appear (see tryCreate), so an
 * unreadable one is debris, not a lock being written. On another host the process cannot be checked: never stale.
 */
function isStale(file: string, owner: LockOwner | null): boolean {
  if (!owner) return true;
  if (owner.host !== os.hostname()) return false;
  if (owner.pid === process.pid) return held.get(file) !== owner.token;
  return !isAlive(owner.pid);
}

/** Writes the lock beside its place, then links it in: link() fails if the lock exists, like O_EXCL, and the lock appears complete. */
function tryCreate(file: string, owner: LockOwner): boolean {
  const draft = `${file}.${process.pid}-${owner.token.slice(0, 8)}`;
  writeFileSync(draft, `${JSON.stringify(owner)}\n`, { flag: 'wx', mode: 0o644 });
  try {
    linkSync(draft, file);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    unlinkSync(draft);
  }
}

/**
 * Moves a stale lock aside atomically (only one contender's rename succeeds), then checks that what was moved is
 * the stale lock that was judged: if a contender had meanwhile taken over, its fresh lock is put back.
 */
function removeStale(file: string, staleText: string): void {
  const aside = `${file}.stale-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    renameSync(file, aside);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  if (readText(aside) !== staleText) {
    try {
      linkSync(aside, file);
    } catch {
      // Yet another process created a lock in the meantime; it is the owner now.
    }
  }
  unlinkSync(aside);
}

function releaseFile(file: string, token: string): void {
  if (held.get(file) !== token) return;
  held.delete(file);
  // Only remove the file if it is still ours: never delete a lock another process holds.
  const text = readText(file);
  if (text !== null && parseOwner(text)?.token === token) {
    try {
      unlinkSync(file);
    } catch {
      // Already gone.
    }
  }
}

let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // 'exit' runs on a normal end and on process.exit (the signal handlers end that way): release what is still held.
  process.on('exit', () => {
    for (const [file, token] of [...held]) releaseFile(file, token);
  });
}

/**
 * Takes the lock file of a data folder (`<folder>/cqs.lock`) or throws DataDirLockedError naming the process that
 * holds it. A lock left by a process that is gone (killed, crashed) is taken over.
 */
export function acquireDataDirLock(folder: string, command: string): DataDirLock {
  mkdirSync(folder, { recursive: true });
  const file = path.join(folder, LOCK_FILE);
  const owner: LockOwner = { pid: process.pid, host: os.hostname(), command, startedAt: new Date().toISOString(), token: randomBytes(16).toString('hex') };
  // Each round either takes the lock, refuses, or clears one stale lock; a few rounds settle any race.
  for (let round = 0; round < 10; round++) {
    if (tryCreate(file, owner)) {
      held.set(file, owner.token);
      installExitHook();
      return { file, release: () => releaseFile(file, owner.token) };
    }
    const text = readText(file);
    if (text === null) continue;
    const current = parseOwner(text);
    if (current && !isStale(file, current)) throw new DataDirLockedError(folder, current);
    removeStale(file, text);
  }
  throw new Error(`Không lấy được khóa ${file} / could not take the lock ${file}`);
}
