import type { BenchOptions } from '../options/bench-options.js';
import { runClosedLoop, type ClosedLoopResult } from '../harness/autocannon.js';
import { sleep } from '../harness/child-process.js';
import { runPaced, type PacedResult } from '../harness/paced-load.js';
import type { LatencySummary } from '../harness/latency.js';
import { countOtherThan } from '../harness/response-collector.js';
import type { Check, Measurement, Reference } from './scenario.js';

export interface Endpoint {
  origin: string;
  path: string;
  headers: Record<string, string>;
  nextBody: () => string;
}

export interface EndpointPhases {
  /** Closed-loop warm-up of the server (JIT, pools, caches). */
  warmup?: ClosedLoopResult;
  /** One second of the paced load, which warms the generator's own HTTP client as well. */
  pacedWarmup?: PacedResult;
  latency: PacedResult;
  maxRate: ClosedLoopResult;
}

/**
 * The same phases against any endpoint, ceiling or real: warm-up, latency at a fixed arrival
 * rate (measured before the overload, so that its aftermath — autovacuum, GC, queued work — does
 * not leak into the tail), then the maximum sustained rate.
 */
export async function measureEndpoint(
  endpoint: Endpoint,
  options: BenchOptions,
  log: (message: string) => void,
): Promise<EndpointPhases> {
  const paced = (durationSeconds: number): Promise<PacedResult> =>
    runPaced({
      ...endpoint,
      rate: options.latencyRate,
      durationSeconds,
      connections: options.latencyConnections,
    });
  const warmups: Pick<EndpointPhases, 'warmup' | 'pacedWarmup'> = {};
  if (options.warmupSeconds > 0) {
    log(`warm-up ${options.warmupSeconds} s + 1 s paced`);
    warmups.warmup = await runClosedLoop({
      ...endpoint,
      connections: options.connections,
      durationSeconds: options.warmupSeconds,
    });
    await sleep(500);
    warmups.pacedWarmup = await paced(1);
  }
  log(`latency at ${options.latencyRate} req/s for ${options.latencyDurationSeconds} s`);
  const latency = await paced(options.latencyDurationSeconds);
  await sleep(500);
  log(`max rate, ${options.connections} connections for ${options.durationSeconds} s`);
  const maxRate = await runClosedLoop({
    ...endpoint,
    connections: options.connections,
    durationSeconds: options.durationSeconds,
  });
  log(
    `→ ${Math.round(maxRate.acceptedPerSecond)} req/s; p50 ${latency.latency.p50.toFixed(2)} ms, p95 ${latency.latency.p95.toFixed(2)} ms at ${options.latencyRate} req/s`,
  );
  return { ...warmups, latency, maxRate };
}

export interface PhaseMeasurementSpec {
  /** Measurement id prefix, e.g. `ingest` → `ingest.max-rate`, `ingest.latency.p95`. */
  prefix: string;
  /** Human name of the server, e.g. `ingest API`. */
  subject: string;
  /** Prefixes of the ceilings measured the same way, e.g. `['bare-express', 'bare-http']`. */
  ceilings?: string[];
  rateReference?: Reference;
  latencyReferences?: Partial<Record<keyof LatencySummary, Reference>>;
}

export const LATENCY_FIGURES = ['min', 'avg', 'p50', 'p95', 'p99', 'max'] as const;

/** The max rate and the six latency figures of `measureEndpoint`, as measurements. */
export function endpointMeasurements(
  phases: EndpointPhases,
  spec: PhaseMeasurementSpec,
  options: BenchOptions,
): Measurement[] {
  const rate: Measurement = {
    id: `${spec.prefix}.max-rate`,
    subject: spec.subject,
    figure: 'max rate',
    unit: 'req/s',
    value: phases.maxRate.acceptedPerSecond,
    better: 'higher',
    ...(spec.ceilings ? { ceilings: spec.ceilings.map((prefix) => `${prefix}.max-rate`) } : {}),
    ...(spec.rateReference ? { reference: spec.rateReference } : {}),
  };
  const latencies = LATENCY_FIGURES.map((figure): Measurement => {
    const reference = spec.latencyReferences?.[figure];
    const ceilings = spec.ceilings?.map((prefix) => `${prefix}.latency.${figure}`);
    return {
      id: `${spec.prefix}.latency.${figure}`,
      subject: spec.subject,
      figure: `${figure} @ ${options.latencyRate} req/s`,
      unit: 'ms',
      value: phases.latency.latency[figure],
      better: 'lower',
      ...(ceilings ? { ceilings } : {}),
      ...(reference ? { reference } : {}),
    };
  });
  return [rate, ...latencies];
}

/** Whether the phases measured what they claim: no failed answers, and a generator that kept its schedule. */
export function endpointChecks(phases: EndpointPhases, subject: string): Check[] {
  const checks: Check[] = [];
  for (const [phase, result] of [
    ['warm-up', phases.warmup],
    ['paced warm-up', phases.pacedWarmup],
    ['latency', phases.latency],
    ['max rate', phases.maxRate],
  ] as const) {
    if (result === undefined) continue;
    const other = countOtherThan(result.statusCounts, 202);
    checks.push({
      name: `${subject}, ${phase}: every answer is 202`,
      ok: other === 0 && result.errors === 0,
      severity: 'warn',
      detail:
        `${other} non-202 (${JSON.stringify(result.statusCounts)}), ${result.errors} connection errors` +
        (Object.keys(result.sampleBodies).length > 0
          ? `; sample bodies ${JSON.stringify(result.sampleBodies)}`
          : ''),
    });
  }
  const lag = phases.latency.startLag;
  checks.push({
    name: `${subject}, latency: requests started on schedule`,
    // A late start means the generator, not the server, was the bottleneck.
    ok: lag.p99 <= 5,
    severity: 'warn',
    detail: `start lag p99 ${lag.p99.toFixed(2)} ms, max ${lag.max.toFixed(2)} ms; ${phases.latency.startedPerSecond.toFixed(0)} req/s started`,
  });
  return checks;
}

/** Seconds a server-under-test scenario spends in its load phases (start-up not included). */
export function phaseSeconds(options: BenchOptions): number {
  const warmup = options.warmupSeconds > 0 ? options.warmupSeconds + 1.5 : 0;
  return warmup + options.latencyDurationSeconds + options.durationSeconds + 1;
}

/** The ids of every 202 of every phase. */
export function acceptedIdsOf(phases: EndpointPhases): { ids: string[]; withoutId: number } {
  const results = [phases.warmup, phases.pacedWarmup, phases.latency, phases.maxRate];
  return {
    ids: results.flatMap((result) => result?.acceptedIds ?? []),
    withoutId: results.reduce((sum, result) => sum + (result?.acceptedWithoutId ?? 0), 0),
  };
}

/** Phases as kept in the results file: the ids are only needed for verification. */
export function withoutIds<T extends object>(phases: T): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(phases).map(([phase, result]) => {
      if (result === undefined || result === null) return [phase, result];
      const { acceptedIds, ...rest } = result as { acceptedIds?: string[] };
      return [phase, { ...rest, acceptedIdCount: acceptedIds?.length ?? 0 }];
    }),
  );
}
