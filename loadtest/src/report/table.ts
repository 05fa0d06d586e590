import type { Check } from '../scenarios/scenario.js';
import type { SummaryRow } from './aggregate.js';
import { formatAgainstReference, formatNumber, formatRatio, formatValue, renderTable } from './format.js';

export interface ReportHeader {
  runs: number;
  machine: string;
  load: string[];
}

/** The whole printed report: figures, the headline ratios, and the checks. */
export function renderReport(
  header: ReportHeader,
  rows: SummaryRow[],
  checks: (Check & { run: number })[],
): string {
  return [
    `Triggers benchmark · ${header.runs} run${header.runs === 1 ? '' : 's'} · median (min–max over runs) · ${header.machine}`,
    ...header.load,
    '',
    renderFigures(rows),
    '',
    renderHeadline(rows),
    '',
    renderChecks(checks),
  ].join('\n');
}

export function renderFigures(rows: SummaryRow[]): string {
  let lastSubject = '';
  const cells = rows.map((row) => {
    const subject = row.subject === lastSubject ? '' : row.subject;
    lastSubject = row.subject;
    const { median, min, max } = row.spread;
    return [
      subject,
      row.figure,
      formatValue(median, row.unit),
      `${formatNumber(min, row.unit)}–${formatNumber(max, row.unit)}`,
      ratiosText(row, ' · ', false),
      row.reference ? referenceText(row) : '',
    ];
  });
  return renderTable(
    ['', 'figure', 'median', 'min–max', 'vs ceilings (median of runs)', 'seed design'],
    cells,
  );
}

/** One sentence per figure that has a published reference (the seed design's): the figures to beat. */
export function renderHeadline(rows: SummaryRow[]): string {
  const lines = rows
    .filter((row) => row.reference !== undefined)
    .map((row) => {
      const ratios = ratiosText(row, ', ', true);
      return `  ${row.subject} ${row.figure}: ${formatValue(row.spread.median, row.unit)}${ratios ? ` = ${ratios}` : ''}; seed design ${referenceText(row)}`;
    });
  return ['Headline', ...(lines.length > 0 ? lines : ['  (no scenario with a reference figure ran)'])].join(
    '\n',
  );
}

/** Checks grouped by name over the runs; details only for the failed ones and for the errors-severity ones. */
export function renderChecks(checks: (Check & { run: number })[]): string {
  const byName = new Map<string, (Check & { run: number })[]>();
  for (const check of checks) byName.set(check.name, [...(byName.get(check.name) ?? []), check]);
  const lines = [...byName.entries()].flatMap(([name, results]) => {
    const failed = results.filter((result) => !result.ok);
    const severity = results[0]!.severity;
    const status = failed.length === 0 ? 'ok  ' : severity === 'error' ? 'FAIL' : 'warn';
    const shown = failed.length > 0 ? failed : severity === 'error' ? results : [];
    return [`  ${status} ${name}`, ...shown.map((result) => `         run ${result.run}: ${result.detail}`)];
  });
  return ['Checks', ...(lines.length > 0 ? lines : ['  (none)'])].join('\n');
}

/** Ratios to each ceiling, with their range over the runs when `withRange` and the runs differ. */
function ratiosText(row: SummaryRow, separator: string, withRange: boolean): string {
  return row.ratios
    .map(({ ceilingSubject, ratio }) => {
      const range =
        !withRange || ratio.min === ratio.max
          ? ''
          : ` (${formatRatio(ratio.min, row.better)}–${formatRatio(ratio.max, row.better)})`;
      const words = row.better === 'higher' ? 'of' : '';
      return `${formatRatio(ratio.median, row.better)}${range} ${words ? `${words} ` : ''}${ceilingSubject}`;
    })
    .join(separator);
}

function referenceText(row: SummaryRow): string {
  if (row.reference === undefined) return '';
  const { value, text } = row.reference;
  return `${text} (${formatAgainstReference(row.spread.median, value, row.better)})`;
}
