import { asTenant } from '../db/tenant-scope.ts';

/**
 * Runs a task every `intervalMs`, never two runs at once in this process; a failure is logged and the next run
 * tries again. Work claimed from the database (SKIP LOCKED, once-only keys) stays safe with several app nodes.
 * With `tenants`, each run does the task once per province, as that province (one failing does not stop the others).
 */
export class PeriodicJob {
  #timer: NodeJS.Timeout | undefined;
  #running = false;

  constructor(
    private readonly name: string,
    private readonly task: () => Promise<unknown>,
    private readonly intervalMs: number,
    private readonly tenants?: readonly number[],
  ) {}

  start(): void {
    this.#timer = setInterval(() => void this.tick(), this.intervalMs);
    this.#timer.unref();
  }

  async tick(): Promise<void> {
    if (this.#running) return;
    this.#running = true;
    try {
      if (!this.tenants) await this.attempt(this.name);
      else for (const tenant of this.tenants) await asTenant(tenant, () => this.attempt(`${this.name} (tenant ${tenant})`));
    } finally {
      this.#running = false;
    }
  }

  private async attempt(label: string): Promise<void> {
    try {
      await this.task();
    } catch (error) {
      console.warn(`${label} failed: ${(error as Error).message}`);
    }
  }

  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
  }
}
