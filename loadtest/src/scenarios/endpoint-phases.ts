import type { BenchOptions } from '../options/bench-options.js';
import { runClosedLoop, type ClosedLoopResult } from '../harness/autocannon.js';
import { sleep } from '../harness/child-process.js';
import { describeCpu, startCpuWindow, type CpuReport } from '../harness/machine-load.js';
import { runPaced, type PacedResult } from '../harness/paced-load.js';
import type { LatencySummary } from '../harness/latency.js';
import { countOtherThan } from '../harness/response-collector.js';
import type { Check, Measurement, Reference } from './scenario.js';

export interface Endpoint {
  /** One server, or the instances of a scaled-out one. */
  origin: string | readonly string[];
  path: string;
  headers: Record<string, string>;
  nextBody: () => string;
}

export interface LatencyPhase {
  /** Requests per second, evenly spaced. */
  rate: number;
  result: PacedResult;
}

export interface EndpointPhases {
  /** Closed-loop warm-up of the server (JIT, pools, caches). */
  warmup?: ClosedLoopResult;
  /** One second of the paced load, which warms the generator's own HTTP client as well. */
  pacedWarmup?: PacedResult;
  /** One phase per arrival rate, lowest first. */
  latency: LatencyPhase[];
  maxRate: ClosedLoopResult;
  /** CPU use during the maximum-rate phase: what bounded it. */
  maxRateCpu?: CpuReport;
}

/**
 * The same phases against any endpoint, ceiling or real: warm-up, latency at each fixed arrival
 * rate (measured before the overload, so that its aftermath — autovacuum, GC, queued work — does
 * not leak into the tail), then the maximum sustained rate.
 */
export async function measureEndpoint(
  endpoint: Endpoint,
  options: BenchOptions,
  log: (message: string) => void,
  phases: { latency: boolean } = { latency: true },
  /** The server's processes, whose CPU use during the maximum-rate phase is recorded. */
  processes: readonly { name: string; pid: number }[] = [],
): Promise<EndpointPhases> {
  const rates = phases.latency ? [...options.latencyRates].sort((a, b) => a - b) : [];
  const paced = (rate: number, durationSeconds: number): Promise<PacedResult> =>
    runPaced({ ...endpoint, rate, durationSeconds, connections: options.latencyConnections });
  const warmups: Pick<EndpointPhases, 'warmup' | 'pacedWarmup'> = {};
  if (options.warmupSeconds > 0) {
    log(`warm-up ${options.warmupSeconds} s${rates.length > 0 ? ' + 1 s paced' : ''}`);
    warmups.warmup = await runClosedLoop({
      ...endpoint,
      connections: options.connections,
      durationSeconds: options.warmupSeconds,
    });
    await sleep(500);
    if (rates.length > 0) warmups.pacedWarmup = await paced(rates[0]!, 1);
  }
  const latency: LatencyPhase[] = [];
  for (const rate of rates) {
    log(`latency at ${rate} req/s for ${options.latencyDurationSeconds} s`);
    latency.push({ rate, result: await paced(rate, options.latencyDurationSeconds) });
    await sleep(500);
  }
  log(`max rate, ${options.connections} connections for ${options.durationSeconds} s`);
  const cpu = await startCpuWindow(processes);
  const maxRate = await runClosedLoop({
    ...endpoint,
    connections: options.connections,
    durationSeconds: options.durationSeconds,
  });
  const maxRateCpu = await cpu.finish();
  log(
    `→ ${Math.round(maxRate.acceptedPerSecond)} req/s` +
      latency
        .map(
          ({ rate, result }) =>
            `; p50 ${fixed(result.latency.p50)} ms, p99 ${fixed(result.latency.p99)} ms at ${rate} req/s`,
        )
        .join('') +
      `; max rate: ${describeCpu(maxRateCpu)}`,
  );
  return { ...warmups, latency, maxRate, maxRateCpu };
}

const fixed = (value: number): string => value.toFixed(2);

export interface PhaseMeasurementSpec {
  /** Measurement id prefix, e.g. `ingest` → `ingest.max-rate`, `ingest.latency-500.p95`. */
  prefix: string;
  /** Human name of the server, e.g. `ingest API`. */
  subject: string;
  /** Prefixes of the ceilings measured the same way, e.g. `['bare-express', 'bare-http']`. */
  ceilings?: string[];
  rateReference?: Reference;
  /** Published figures for the latencies at the lowest arrival rate. */
  latencyReferences?: Partial<Record<keyof LatencySummary, Reference>>;
}

export const LATENCY_FIGURES = ['min', 'avg', 'p50', 'p95', 'p99', 'max'] as const;

/** The id of a latency figure at an arrival rate, e.g. `ingest.latency-500.p99`. */
export function latencyId(prefix: string, rate: number, figure: (typeof LATENCY_FIGURES)[number]): string {
  return `${prefix}.latency-${rate}.${figure}`;
}

/** The max rate and the six latency figures per arrival rate of `measureEndpoint`, as measurements. */
export function endpointMeasurements(phases: EndpointPhases, spec: PhaseMeasurementSpec): Measurement[] {
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
  const lowest = phases.latency[0]?.rate;
  const latencies = phases.latency.flatMap(({ rate: arrivalRate, result }) =>
    LATENCY_FIGURES.map((figure): Measurement => {
      const reference = arrivalRate === lowest ? spec.latencyReferences?.[figure] : undefined;
      const ceilings = spec.ceilings?.map((prefix) => latencyId(prefix, arrivalRate, figure));
      return {
        id: latencyId(spec.prefix, arrivalRate, figure),
        subject: spec.subject,
        figure: `${figure} @ ${arrivalRate} req/s`,
        unit: 'ms',
        value: result.latency[figure],
        better: 'lower',
        ...(ceilings ? { ceilings } : {}),
        ...(reference ? { reference } : {}),
      };
    }),
  );
  return [rate, ...latencies];
}

/** Whether the phases measured what they claim: no failed answers, and a generator that kept its schedule. */
export function endpointChecks(phases: EndpointPhases, subject: string): Check[] {
  const checks: Check[] = [];
  const results: [string, ClosedLoopResult | PacedResult | undefined][] = [
    ['warm-up', phases.warmup],
    ['paced warm-up', phases.pacedWarmup],
    ...phases.latency.map(({ rate, result }): [string, PacedResult] => [`latency @ ${rate} req/s`, result]),
    ['max rate', phases.maxRate],
  ];
  for (const [phase, result] of results) {
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
  for (const { rate, result } of phases.latency) {
    const lag = result.startLag;
    checks.push({
      name: `${subject}, latency @ ${rate} req/s: requests started on schedule`,
      // A late start means the generator, not the server, was the bottleneck.
      ok: lag.p99 <= 5,
      severity: 'warn',
      detail: `start lag p99 ${fixed(lag.p99)} ms, max ${fixed(lag.max)} ms; ${result.startedPerSecond.toFixed(0)} req/s started`,
    });
  }
  return checks;
}

/** Seconds a server-under-test scenario spends in its load phases (start-up not included). */
export function phaseSeconds(
  options: BenchOptions,
  phases: { latency: boolean } = { latency: true },
): number {
  const rates = phases.latency ? options.latencyRates.length : 0;
  const warmup = options.warmupSeconds > 0 ? options.warmupSeconds + 0.5 + (rates > 0 ? 1 : 0) : 0;
  return warmup + rates * (options.latencyDurationSeconds + 0.5) + options.durationSeconds + 1;
}

/** The ids of every 202 of every phase. */
export function acceptedIdsOf(phases: EndpointPhases): { ids: string[]; withoutId: number } {
  const results = [
    phases.warmup,
    phases.pacedWarmup,
    ...phases.latency.map(({ result }) => result),
    phases.maxRate,
  ];
  return {
    ids: results.flatMap((result) => result?.acceptedIds ?? []),
    withoutId: results.reduce((sum, result) => sum + (result?.acceptedWithoutId ?? 0), 0),
  };
}

/** Phase results as kept in the results file: accepted ids (needed only to verify) become a count. */
export function withoutIds(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutIds);
  if (value === null || typeof value !== 'object') return value;
  const entries = Object.entries(value).map(([key, inner]): [string, unknown] =>
    key === 'acceptedIds' && Array.isArray(inner)
      ? ['acceptedIdCount', inner.length]
      : [key, withoutIds(inner)],
  );
  return Object.fromEntries(entries);
}
