import { SOAK_GROWTH_BOUND, withinGrowthBound } from '../scenarios/memory.js';
import { PROCESSING_DURABLE_CEILING_ID } from '../scenarios/processing-durable-ceiling.js';
import { spreadOf, type SummaryRow } from './aggregate.js';
import { formatRatio, formatValue } from './format.js';

/** One of the goals the issue set, judged on the medians of this run. */
export interface TargetResult {
  target: string;
  /** null: the figure was not measured (scenario not run, or another rate chosen). */
  ok: boolean | null;
  detail: string;
}

/**
 * The targets (medians on the 2-core machine with the load generator on it): durable ingest ≥ 85%
 * of bare express with the durable write, p99 ≤ 10 ms at 500 req/s, processing ≥ 10,000 events/s
 * and ≥ 70% of its durable work alone (INSERT + addBulk), delivery ≥ 3,000/s, end-to-end p95
 * ≤ 50 ms at 500 events/s; the whole pipeline's capacity ≥ 20% of bare express, at 10% of it
 * ≤ 3 Postgres commits per event and CPU per event ≤ 2× that at capacity; under overload ≥ 90% of
 * capacity delivered and ≤ 5% postponed; flat memory under sustained load.
 */
export function evaluateTargets(rows: readonly SummaryRow[]): TargetResult[] {
  const row = (id: string) => rows.find((candidate) => candidate.id === id);
  const ratio = (id: string, ceilingId: string) =>
    row(id)?.ratios.find((candidate) => candidate.ceilingId === ceilingId)?.ratio.median;
  const notMeasured = (what: string): string => `not measured (${what})`;

  const atLeastRatio = (target: string, id: string, ceilingId: string, min: number): TargetResult => {
    const value = ratio(id, ceilingId);
    const measured = row(id);
    if (value === undefined || measured === undefined || !Number.isFinite(value)) {
      return { target, ok: null, detail: notMeasured(`${id} or ${ceilingId} missing`) };
    }
    return {
      target,
      ok: value >= min,
      detail: `${formatRatio(value, 'higher')} (${formatValue(measured.spread.median, measured.unit)})`,
    };
  };
  const bound = (
    target: string,
    id: string,
    limit: number,
    direction: 'min' | 'max',
    format: (value: number, unit: SummaryRow['unit']) => string = formatValue,
  ): TargetResult => {
    const measured = row(id);
    if (measured === undefined || !Number.isFinite(measured.spread.median)) {
      return { target, ok: null, detail: notMeasured(`${id} missing`) };
    }
    const value = measured.spread.median;
    return {
      target,
      ok: direction === 'min' ? value >= limit : value <= limit,
      detail: `${format(value, measured.unit)} (runs ${format(measured.spread.min, measured.unit)}–${format(measured.spread.max, measured.unit)})`,
    };
  };
  // One figure against another of the same run: the ratio within each run, then its median.
  const atMostTimes = (target: string, id: string, baseId: string, max: number): TargetResult => {
    const ours = row(id);
    const base = row(baseId);
    const perRun = (ours?.spread.values ?? []).map((value, index) => {
      const other = base?.spread.values[index];
      return typeof value === 'number' && typeof other === 'number' && other > 0 ? value / other : NaN;
    });
    const ratio = spreadOf(perRun).median;
    if (ours === undefined || base === undefined || !Number.isFinite(ratio)) {
      return { target, ok: null, detail: notMeasured(`${id} or ${baseId} missing`) };
    }
    return {
      target,
      ok: ratio <= max,
      detail: `${ratio.toFixed(2)}× (${twoDecimals(ours.spread.median, ours.unit)} against ${twoDecimals(base.spread.median, base.unit)})`,
    };
  };

  const soakServices = [
    ...new Set(
      rows.filter((r) => r.id.startsWith('soak.') && r.id.endsWith('.rss-growth')).map((r) => r.subject),
    ),
  ];
  const memory: TargetResult =
    soakServices.length === 0
      ? {
          target: 'memory flat under sustained load',
          ok: null,
          detail: notMeasured('run with --soak 60'),
        }
      : {
          target: `memory flat under sustained load (growth ≤ max(${SOAK_GROWTH_BOUND.mb} MB, ${SOAK_GROWTH_BOUND.share * 100}%))`,
          ok: soakServices.every((service) =>
            withinGrowthBound(
              row(`soak.${service}.rss-start`)?.spread.median ?? NaN,
              row(`soak.${service}.rss-end`)?.spread.median ?? NaN,
            ),
          ),
          detail: soakServices
            .map((service) => {
              const start = row(`soak.${service}.rss-start`)?.spread.median ?? NaN;
              const end = row(`soak.${service}.rss-end`)?.spread.median ?? NaN;
              return `${service} ${start.toFixed(0)} → ${end.toFixed(0)} MB`;
            })
            .join(', '),
        };

  return [
    atLeastRatio(
      'durable ingest ≥ 85% of bare express + durable write',
      'ingest.max-rate',
      'bare-express-durable.max-rate',
      0.85,
    ),
    bound('ingest p99 ≤ 10 ms at 500 req/s', 'ingest.latency-500.p99', 10, 'max'),
    bound('processing ≥ 10,000 events/s', 'processing.rate', 10_000, 'min'),
    atLeastRatio(
      'processing ≥ 70% of its durable work alone (INSERT + addBulk)',
      'processing.rate',
      PROCESSING_DURABLE_CEILING_ID,
      0.7,
    ),
    bound('delivery ≥ 3,000/s', 'delivery.rate', 3_000, 'min'),
    bound('end-to-end p95 ≤ 50 ms at 500 events/s', 'e2e.latency.p95', 50, 'max'),
    atLeastRatio(
      'capacity (p95 ≤ 250 ms end to end) ≥ 20% of bare express',
      'capacity.rate',
      'capacity.bare-express.max-rate',
      0.2,
    ),
    bound(
      'Postgres commits per event ≤ 3 at 10% of capacity',
      'capacity.cost-10pct.pg-commits-per-event',
      3,
      'max',
      twoDecimals,
    ),
    atMostTimes(
      'CPU per event at 10% of capacity ≤ 2× CPU per event at capacity',
      'capacity.cost-10pct.cpu-ms-per-event',
      'capacity.cost-at-capacity.cpu-ms-per-event',
      2,
    ),
    atLeastRatio(
      'overload: delivered ≥ 90% of capacity',
      'overload.delivered-rate',
      'overload.capacity-rate',
      0.9,
    ),
    // Stored in percent (a delivery postponed twice counts twice, so it can pass 100).
    // Stored in percent (a delivery postponed twice counts twice, so it can pass 100).
    bound('overload: postponed ≤ 5%', 'overload.postponed-share', 5, 'max', percent),
    memory,
  ];
}

/** Per-event costs are small numbers: `2.41 commits/event`. */
function twoDecimals(value: number, unit: SummaryRow['unit']): string {
  return Number.isFinite(value) ? `${value.toFixed(2)} ${unit}` : '–';
}

/** A share of 0..1: `3.2%`. */
/** A figure stored in percent. */
function percent(value: number): string {
  return Number.isFinite(value) ? `${value.toFixed(1)}%` : '–';
}

/** `Targets` block of the printed report. */
export function renderTargets(results: readonly TargetResult[]): string {
  const width = Math.max(...results.map((result) => result.target.length));
  return [
    'Targets (medians of this run)',
    ...results.map(
      (result) =>
        `  ${result.ok === null ? '—   ' : result.ok ? 'met ' : 'MISS'} ${result.target.padEnd(width)}  ${result.detail}`,
    ),
  ].join('\n');
}
