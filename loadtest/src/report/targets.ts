import { SOAK_GROWTH_BOUND, withinGrowthBound } from '../scenarios/memory.js';
import type { SummaryRow } from './aggregate.js';
import { formatRatio, formatValue } from './format.js';

/** One of the goals the issue set, judged on the medians of this run. */
export interface TargetResult {
  target: string;
  /** null: the figure was not measured (scenario not run, or another rate chosen). */
  ok: boolean | null;
  detail: string;
}

/**
 * The targets (medians on the 2-core machine with the load generator on it): durable ingest ≥ 75%
 * of bare express, p99 ≤ 10 ms at 500 req/s, processing ≥ 10,000 events/s and ≥ 70% of addBulk,
 * delivery ≥ 3,000/s, end-to-end p95 ≤ 50 ms at 500 events/s, flat memory under sustained load.
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
  const bound = (target: string, id: string, limit: number, direction: 'min' | 'max'): TargetResult => {
    const measured = row(id);
    if (measured === undefined || !Number.isFinite(measured.spread.median)) {
      return { target, ok: null, detail: notMeasured(`${id} missing`) };
    }
    const value = measured.spread.median;
    return {
      target,
      ok: direction === 'min' ? value >= limit : value <= limit,
      detail: `${formatValue(value, measured.unit)} (runs ${formatValue(measured.spread.min, measured.unit)}–${formatValue(measured.spread.max, measured.unit)})`,
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
    atLeastRatio('durable ingest ≥ 75% of bare express', 'ingest.max-rate', 'bare-express.max-rate', 0.75),
    bound('ingest p99 ≤ 10 ms at 500 req/s', 'ingest.latency-500.p99', 10, 'max'),
    bound('processing ≥ 10,000 events/s', 'processing.rate', 10_000, 'min'),
    atLeastRatio('processing ≥ 70% of the addBulk ceiling', 'processing.rate', 'bullmq-addbulk.rate', 0.7),
    bound('delivery ≥ 3,000/s', 'delivery.rate', 3_000, 'min'),
    bound('end-to-end p95 ≤ 50 ms at 500 events/s', 'e2e.latency.p95', 50, 'max'),
    memory,
  ];
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
