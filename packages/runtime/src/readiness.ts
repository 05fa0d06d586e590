import { withTimeout } from './with-timeout.js';
/** A named dependency check; it throws (or rejects) when the dependency does not answer. */
export interface DependencyCheck {
  name: string;
  check: () => Promise<unknown>;
  /** A non-critical dependency is reported but does not make the service unready. */
  critical: boolean;
}

export interface ReadinessReport {
  ready: boolean;
  draining: boolean;
  checks: Record<string, 'ok' | 'failing'>;
}

const CHECK_TIMEOUT_MS = 1000;

/** Tracks whether a service should receive work: its critical dependencies answer and it is not shutting down. */
export class Readiness {
  private draining = false;

  constructor(private readonly checks: DependencyCheck[]) {}

  /** Called first on shutdown, so load balancers stop sending before listeners close. */
  startDraining(): void {
    this.draining = true;
  }

  async report(): Promise<ReadinessReport> {
    const results = await Promise.all(
      this.checks.map(async (c) => {
        try {
          await withTimeout(c.check(), CHECK_TIMEOUT_MS, `readiness check ${c.name}`);
          return [c, 'ok'] as const;
        } catch {
          return [c, 'failing'] as const;
        }
      }),
    );
    const checks = Object.fromEntries(results.map(([c, state]) => [c.name, state]));
    const criticalFailing = results.some(([c, state]) => c.critical && state === 'failing');
    return { ready: !this.draining && !criticalFailing, draining: this.draining, checks };
  }
}
