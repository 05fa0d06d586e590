import type { Logger } from 'pino';

/**
 * Runs `task` every `intervalMs` (measured from the end of one run to the start of the next, so
 * runs never overlap), logging failures and carrying on. `stop()` waits for a run in progress.
 */
export class PeriodicTask {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;

  constructor(
    private readonly name: string,
    private readonly intervalMs: number,
    private readonly task: () => Promise<unknown>,
    private readonly log: Logger,
  ) {}

  start(): this {
    this.schedule();
    return this;
  }

  /** Runs the task now (also used by tests); resolves when that run is done. */
  runNow(): Promise<void> {
    this.running ??= this.task()
      .then(
        () => undefined,
        (err: unknown) => this.log.error({ err, task: this.name }, 'periodic task failed'),
      )
      .finally(() => {
        this.running = undefined;
      });
    return this.running;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      void this.runNow().then(() => this.schedule());
    }, this.intervalMs);
  }
}
