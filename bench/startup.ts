import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      srv.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

async function waitReady(url: string, deadline: number): Promise<void> {
  while (Date.now() < deadline) {
    try {
      const res = await fetch(url);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`${url} not ready in time`);
}

/** Seconds from spawning `cqs start` until /readyz answers, as a user would wait for it. */
export async function timeStart(env: Record<string, string>): Promise<number> {
  const port = await freePort();
  const t0 = performance.now();
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'start'], {
    env: { ...process.env, ...env, PORT: String(port), LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  try {
    await waitReady(`http://127.0.0.1:${port}/readyz`, Date.now() + 300_000);
    return (performance.now() - t0) / 1000;
  } finally {
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await exited;
  }
}

export async function startupScenarios(databaseUrl: string | undefined): Promise<{ first: number; later: number }> {
  if (databaseUrl) {
    const env = { DATABASE_URL: databaseUrl };
    return { first: await timeStart(env), later: await timeStart(env) };
  }
  const dir = await mkdtemp(path.join(os.tmpdir(), 'cqs-bench-start-'));
  try {
    const env = { CQS_DATA_DIR: dir, DATABASE_URL: '' };
    return { first: await timeStart(env), later: await timeStart(env) };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
