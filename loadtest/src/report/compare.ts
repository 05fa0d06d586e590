import type { SummaryRow } from './aggregate.js';
import { formatNumber, formatRatio } from './format.js';

/** One figure of this run against the same figure of a previous one. */
export interface Comparison {
  id: string;
  subject: string;
  figure: string;
  /** `value`, or the ceiling whose ratio was compared (e.g. `bare express 5`). */
  basis: string;
  before: number;
  now: number;
  /** (now − before) / before: positive means higher. */
  change: number;
  /** Worse by more than the threshold, on a figure of ours (ceilings only describe the machine). */
  regression: boolean;
  improvement: boolean;
  ceiling: boolean;
}

/**
 * Compares figures present in both runs. A figure read against a ceiling is compared by that
 * ratio, computed within each run: the machine's speed varies by ±30% from run to run, and the
 * ratio cancels most of it. Other figures are compared by value. Changes of ceilings are reported
 * but never called regressions: they describe the machine, not our code.
 */
export function compareSummaries(
  current: readonly SummaryRow[],
  previous: readonly SummaryRow[],
  threshold: number,
): Comparison[] {
  const before = new Map(previous.map((row) => [row.id, row]));
  return current.flatMap((row): Comparison[] => {
    const old = before.get(row.id);
    // Growth figures hover around zero, where a relative change means nothing.
    if (old === undefined || row.id.endsWith('-growth')) return [];
    // The first ceiling both runs read against: a ceiling added since still compares by an older one.
    const ratio = row.ratios.find((candidate) =>
      old.ratios.some((previous) => previous.ceilingId === candidate.ceilingId),
    );
    const oldRatio = ratio && old.ratios.find((candidate) => candidate.ceilingId === ratio.ceilingId);
    const [then, now, basis] =
      ratio && oldRatio
        ? [oldRatio.ratio.median, ratio.ratio.median, `ratio to ${ratio.ceilingSubject}`]
        : [old.spread.median, row.spread.median, 'value'];
    if (!Number.isFinite(then) || !Number.isFinite(now) || then === 0) return [];
    const change = (now - then) / then;
    const worse = row.better === 'higher' ? change < -threshold : change > threshold;
    const better = row.better === 'higher' ? change > threshold : change < -threshold;
    const ceiling = row.section.startsWith('Ceilings');
    return [
      {
        id: row.id,
        subject: row.subject,
        figure: row.figure,
        basis,
        before: then,
        now,
        change,
        regression: worse && !ceiling,
        improvement: better && !ceiling,
        ceiling,
      },
    ];
  });
}

/** The comparison block: regressions and improvements beyond the threshold, and how many held. */
export function renderComparison(
  file: string,
  comparisons: readonly Comparison[],
  threshold: number,
  rowsById: ReadonlyMap<string, SummaryRow>,
): string {
  const describe = (comparison: Comparison): string => {
    const row = rowsById.get(comparison.id);
    const show = (value: number) =>
      comparison.basis === 'value' && row
        ? formatNumber(value, row.unit)
        : formatRatio(value, row?.better ?? 'higher');
    const sign = comparison.change >= 0 ? '+' : '';
    return `${comparison.subject} ${comparison.figure} (${comparison.basis}): ${show(comparison.before)} → ${show(comparison.now)} (${sign}${Math.round(comparison.change * 100)}%)`;
  };
  const regressions = comparisons.filter((comparison) => comparison.regression);
  const improvements = comparisons.filter((comparison) => comparison.improvement);
  const moved = comparisons.filter(
    (comparison) => comparison.ceiling && Math.abs(comparison.change) > threshold,
  );
  // Of the ceilings, only throughputs are listed: their latency tails move with scheduling noise.
  const machine = moved.filter((comparison) => rowsById.get(comparison.id)?.unit !== 'ms');
  const held = comparisons.length - regressions.length - improvements.length - moved.length;
  return [
    `Compared with ${file} (${comparisons.length} figures in both; worse by more than ${Math.round(threshold * 100)}% = regression)`,
    ...(regressions.length > 0
      ? regressions.map((comparison) => `  REGRESSION ${describe(comparison)}`)
      : ['  no regression']),
    ...improvements.map((comparison) => `  better     ${describe(comparison)}`),
    ...machine.map((comparison) => `  machine    ${describe(comparison)}`),
    ...(moved.length > machine.length
      ? [
          `  machine    and ${moved.length - machine.length} latency figures of the ceilings moved by more than ±${Math.round(threshold * 100)}%`,
        ]
      : []),
    `  ${held} figures within ±${Math.round(threshold * 100)}%`,
  ].join('\n');
}
