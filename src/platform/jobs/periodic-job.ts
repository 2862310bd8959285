/**
 * Runs a task every `intervalMs`, never two runs at once in this process; a failure is logged and the next run
 * tries again. Work claimed from the database (SKIP LOCKED, once-only keys) stays safe with several app nodes.
 */
export class PeriodicJob {
  #timer: NodeJS.Timeout | undefined;
  #running = false;

  constructor(
    private readonly name: string,
    private readonly task: () => Promise<unknown>,
    private readonly intervalMs: number,
  ) {}

  start(): void {
    this.#timer = setInterval(() => void this.tick(), this.intervalMs);
    this.#timer.unref();
  }

  async tick(): Promise<void> {
    if (this.#running) return;
    this.#running = true;
    try {
      await this.task();
    } catch (error) {
      console.warn(`${this.name} failed: ${(error as Error).message}`);
    } finally {
      this.#running = false;
    }
  }

  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
  }
}
