import type { ScenarioRun } from './aggregate.js';
import type { LatencyChartInput, LatencyPoint } from './latency-chart.js';
import type { ResultsFile } from './results-file.js';

/** Written beside RESULTS.md by `pnpm bench:report`, which links it; nothing else writes it. */
export const CAPACITY_CHART_FILE = 'capacity-latency.svg';

/** The end-to-end p95 the capacity scenario holds each step to. */
export const CAPACITY_P95_BOUND_MS = 250;

/** The curve of one capacity run, ready to draw. */
export interface CapacityChart {
  input: LatencyChartInput;
  /** Which run was drawn (1-based), of how many capacity runs. */
  run: number;
  runs: number;
}

/**
 * The latency curve of the capacity run whose capacity is the median of the file's capacity runs
 * (the lower middle one of an even count): one run's steps, not a blend of several, so every
 * point was measured together. Undefined when no capacity run left a curve.
 */
export function capacityChart(results: Pick<ResultsFile, 'runs'>): CapacityChart | undefined {
  const runs = results.runs
    .filter((run) => run.scenario === 'capacity')
    .map((run) => ({ run, points: curveOf(run), capacity: measured(run, 'capacity.rate') }))
    .filter((candidate) => candidate.points.length > 0);
  if (runs.length === 0) return undefined;
  const ranked = [...runs].sort(
    (a, b) =>
      (Number.isFinite(a.capacity) ? a.capacity : Infinity) -
      (Number.isFinite(b.capacity) ? b.capacity : Infinity),
  );
  const chosen = ranked[Math.floor((ranked.length - 1) / 2)]!;
  const details = chosen.run.outcome?.details ?? {};
  const bareExpress =
    typeof details.bareExpressRate === 'number' && details.bareExpressRate > 0
      ? details.bareExpressRate
      : measured(chosen.run, 'capacity.bare-express.max-rate');
  const share = Number.isFinite(bareExpress) && bareExpress > 0 ? chosen.capacity / bareExpress : NaN;
  const held = Number.isFinite(chosen.capacity)
    ? `capacity ${integer.format(chosen.capacity)} events/s${Number.isFinite(share) ? ` = ${Math.round(share * 100)}% of bare express` : ''}`
    : 'capacity not measured';
  return {
    run: chosen.run.run,
    runs: runs.length,
    input: {
      title: 'End-to-end latency against offered event rate',
      subtitle: `${held} · run ${chosen.run.run}${runs.length > 1 ? `, the median of ${runs.length} capacity runs` : ''}`,
      points: chosen.points,
      boundMs: CAPACITY_P95_BOUND_MS,
      rateUnit: 'events/s',
      ...(Number.isFinite(bareExpress) && bareExpress > 0
        ? {
            reference: {
              rate: bareExpress,
              label: `bare express 5 (${integer.format(bareExpress)} req/s in the same run)`,
            },
          }
        : {}),
    },
  };
}

const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

function measured(run: ScenarioRun, id: string): number {
  return run.outcome?.measurements.find((measurement) => measurement.id === id)?.value ?? NaN;
}

/** The steps of `details.curve` that carry a rate and p50/p95 figures (p99 when present); a results file is data from disk, so each is checked. */
function curveOf(run: ScenarioRun): LatencyPoint[] {
  const curve = run.outcome?.details.curve;
  if (!Array.isArray(curve)) return [];
  return curve.flatMap((step: unknown): LatencyPoint[] => {
    if (typeof step !== 'object' || step === null) return [];
    const { rate, p50, p95, p99, held } = step as Record<string, unknown>;
    if (!isNumber(rate) || !isNumber(p50) || !isNumber(p95)) return [];
    return [{ rate, p50, p95, ...(isNumber(p99) ? { p99 } : {}), held: held === true }];
  });
}

function isNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}
