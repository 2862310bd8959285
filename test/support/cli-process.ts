import { type ChildProcess, spawn } from 'node:child_process';
import net from 'node:net';

/** A `cqs` command run as its own process, as an operator would, with the given environment on top of ours. */
export interface CliRun {
  readonly child: ChildProcess;
  /** Everything written to stdout and stderr so far. */
  output(): string;
  /** Resolves once the output matches, rejects if the process ends first. */
  waitFor(pattern: RegExp): Promise<void>;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export const freePort = () =>
  new Promise<number>((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });

/**
 * Runs `cqs <args>`. DATABASE_URL is removed unless given, so that a suite run on PostgreSQL still exercises the
 * embedded database here when the test means it.
 */
export function runCli(args: readonly string[], env: Record<string, string>): CliRun {
  const base: Record<string, string | undefined> = { ...process.env, LOG_LEVEL: 'silent', CQS_SESSION_SECRET: 's'.repeat(40) };
  delete base.DATABASE_URL;
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], { env: { ...base, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const listeners = new Set<() => void>();
  const onData = (chunk: Buffer) => {
    out += chunk.toString();
    for (const l of [...listeners]) l();
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('close', (code, signal) => resolve({ code, signal })));
  return {
    child,
    output: () => out,
    exited,
    waitFor: (pattern) =>
      new Promise<void>((resolve, reject) => {
        const check = () => {
          if (!pattern.test(out)) return;
          listeners.delete(check);
          resolve();
        };
        listeners.add(check);
        check();
        void exited.then(({ code, signal }) => {
          if (!pattern.test(out)) reject(new Error(`cqs ${args.join(' ')} ended (${code ?? signal}) before ${pattern}:\n${out}`));
        });
      }),
  };
}
