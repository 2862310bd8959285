/** Latency percentiles in milliseconds from a list of samples (nearest-rank). */
export function percentiles(samplesMs: number[]): { p50: number; p95: number; p99: number } {
  const sorted = [...samplesMs].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
  return { p50: at(50), p95: at(95), p99: at(99) };
}

export async function timeEach(n: number, fn: (i: number) => Promise<unknown>): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    await fn(i);
    out.push(performance.now() - t0);
  }
  return out;
}

export async function ratePerSecond(n: number, fn: (i: number) => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  for (let i = 0; i < n; i++) await fn(i);
  return (n * 1000) / (performance.now() - t0);
}

export interface Row {
  readonly db: string;
  readonly scenario: string;
  readonly result: string;
  readonly baseline: string;
  readonly ratio: string;
  readonly target: string;
  readonly verdict: 'ok' | 'MISSED' | '—';
}

export const ms = (v: number) => `${v.toFixed(2)} ms`;

export function renderTable(rows: readonly Row[]): string {
  const head = ['db', 'scenario', 'result', 'baseline (same run)', 'ratio', 'target', 'verdict'];
  const body = rows.map((r) => [r.db, r.scenario, r.result, r.baseline, r.ratio, r.target, r.verdict]);
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [line(head), line(head.map(() => '---')), ...body.map(line)].join('\n');
}
