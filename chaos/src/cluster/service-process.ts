import { checkReady, launchService, type ServiceProcess as Launched } from '@triggers/service-launcher';
import type { PipelineServiceName } from '@triggers/service-launcher';
import { pollUntil } from '../sleep.js';

export type ServiceName = PipelineServiceName;

export interface ServiceSpec {
  name: ServiceName;
  /** Every variable it gets, its ports included. */
  env: Record<string, string>;
  logFile: string;
}

/** An exit this suite did not cause: a crash, or a service giving up on a dependency. */
export interface UnexpectedExit {
  service: ServiceName;
  at: number;
  code: number | null;
  signal: NodeJS.Signals | null;
}

/**
 * One service as a child process, started again on the same ports after each kill, its output
 * appended to its log. Exits the suite did not ask for are reported to `onUnexpectedExit`.
 */
export class ServiceProcess {
  private current: Launched | undefined;
  /** The last readiness answer, to say why a service is not ready. */
  lastReadiness = 'not asked yet';
  starts = 0;

  constructor(
    readonly spec: ServiceSpec,
    private readonly onUnexpectedExit: (exit: UnexpectedExit) => void,
  ) {}

  get name(): ServiceName {
    return this.spec.name;
  }

  isAlive(): boolean {
    return this.current?.isAlive() ?? false;
  }

  /** Spawns the process; `waitReady()` tells when it serves. */
  async start(): Promise<void> {
    if (this.isAlive()) throw new Error(`${this.name} is already running`);
    this.starts += 1;
    this.current = await launchService(this.name, {
      env: this.spec.env,
      output: {
        to: 'file',
        path: this.spec.logFile,
        banner: `chaos: starting ${this.name} at ${new Date().toISOString()}`,
      },
      onExit: ({ code, signal }, requested) => {
        if (!requested) this.onUnexpectedExit({ service: this.name, at: Date.now(), code, signal });
      },
    });
  }

  /** Polls the readiness URL; false when the process died or `timeoutMs` passed. */
  async waitReady(timeoutMs: number): Promise<boolean> {
    const ready = await pollUntil(async () => {
      if (!this.isAlive()) return false;
      return (await this.isReady()) ? true : undefined;
    }, timeoutMs);
    return ready === true;
  }

  async isReady(): Promise<boolean> {
    if (this.current === undefined || !this.isAlive()) {
      this.lastReadiness = 'process not running';
      return false;
    }
    const { ready, answer } = await checkReady(this.current.readyUrl);
    this.lastReadiness = answer;
    return ready;
  }

  /** A crash: SIGKILL, no chance to finish anything. Resolves once the process is gone. */
  async kill(): Promise<void> {
    await this.current?.kill();
  }

  /** A graceful stop (SIGTERM, which the services handle), SIGKILL after `graceMs`. */
  async stop(graceMs?: number): Promise<void> {
    await this.current?.stop(graceMs);
  }

  /** The last lines of the log, to explain a failure. */
  logTail(): string {
    return this.current?.outputLines().slice(-30).join('\n') ?? '(no log)';
  }
}
