import type { Logger } from 'pino';

interface Step {
  name: string;
  run: () => Promise<unknown> | unknown;
}

/**
 * Runs registered shutdown steps once, in the order they were added, under one deadline. Services
 * add steps in reverse start order: stop taking work, finish in-flight work, close pools.
 */
export class Shutdown {
  private readonly steps: Step[] = [];
  private running: Promise<void> | undefined;

  constructor(
    private readonly log: Logger,
    private readonly deadlineMs: number,
    private readonly exit: (code: number) => void = (code) => process.exit(code),
  ) {}

  add(name: string, run: Step['run']): this {
    this.steps.push({ name, run });
    return this;
  }

  /** Idempotent: a second signal while shutting down waits for the first run. */
  run(reason: string, exitCode = 0): Promise<void> {
    this.running ??= this.runSteps(reason, exitCode);
    return this.running;
  }

  /** SIGTERM/SIGINT shut down cleanly; an unhandled rejection or exception is fatal (exit 1). */
  installProcessHandlers(): void {
    for (const signal of ['SIGTERM', 'SIGINT'] as const) {
      process.once(signal, () => void this.run(signal));
    }
    process.on('unhandledRejection', (err) => {
      this.log.fatal({ err }, 'unhandled rejection');
      void this.run('unhandledRejection', 1);
    });
    process.on('uncaughtException', (err) => {
      this.log.fatal({ err }, 'uncaught exception');
      void this.run('uncaughtException', 1);
    });
  }

  private async runSteps(reason: string, exitCode: number): Promise<void> {
    this.log.info({ reason, deadlineMs: this.deadlineMs }, 'shutting down');
    const deadline = setTimeout(() => {
      this.log.error({ deadlineMs: this.deadlineMs }, 'shutdown deadline passed, exiting');
      this.exit(exitCode || 1);
    }, this.deadlineMs);
    deadline.unref();
    for (const step of this.steps) {
      try {
        await step.run();
        this.log.debug({ step: step.name }, 'shutdown step done');
      } catch (err) {
        this.log.error({ err, step: step.name }, 'shutdown step failed');
      }
    }
    clearTimeout(deadline);
    this.log.info('shutdown complete');
    this.exit(exitCode);
  }
}
