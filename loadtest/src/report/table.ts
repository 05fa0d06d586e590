import type { Check } from '../scenarios/scenario.js';
import type { SummaryRow } from './aggregate.js';
import { formatAgainstReference, formatNumber, formatRatio, formatValue, renderTable } from './format.js';

export interface ReportHeader {
  runs: number;
  machine: string;
  load: string[];
}

/** The printed figures, section by section, then the headline ratios and the checks. */
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

/**
 * Rows grouped under their section headings, in the order the sections first appear, except that
 * scale-out and memory sections come last: they read best after every one-instance figure.
 */
export function groupBySection(rows: readonly SummaryRow[]): [string, SummaryRow[]][] {
  const groups = new Map<string, SummaryRow[]>();
  for (const row of rows) groups.set(row.section, [...(groups.get(row.section) ?? []), row]);
  const rank = (section: string): number =>
    section.startsWith('Scale-out') ? 1 : section.startsWith('Memory') ? 2 : 0;
  return [...groups.entries()]
    .map((entry, index) => ({ entry, index }))
    .sort((a, b) => rank(a.entry[0]) - rank(b.entry[0]) || a.index - b.index)
    .map(({ entry }) => entry);
}

export const FIGURE_HEADER = [
  '',
  'figure',
  'median',
  'min–max',
  'vs ceilings (median of runs)',
  'seed design',
];

/** The cells of one section's rows; the subject is printed once per run of equal subjects. */
export function figureCells(rows: readonly SummaryRow[]): string[][] {
  let lastSubject = '';
  return rows.map((row) => {
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
}

export function renderFigures(rows: SummaryRow[]): string {
  // One table for all sections, so that the columns line up; a heading line opens each section.
  const sections = groupBySection(rows);
  const [header, rule, ...lines] = renderTable(
    FIGURE_HEADER,
    sections.flatMap(([, sectionRows]) => figureCells(sectionRows)),
  ).split('\n');
  const out = [header!, rule!];
  for (const [section, sectionRows] of sections) {
    out.push(`▸ ${section}`, ...lines.splice(0, sectionRows.length));
  }
  return out.join('\n');
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
export function ratiosText(row: SummaryRow, separator: string, withRange: boolean): string {
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

export function referenceText(row: SummaryRow): string {
  if (row.reference === undefined) return '';
  const { value, text } = row.reference;
  return `${text} (${formatAgainstReference(row.spread.median, value, row.better)})`;
}
