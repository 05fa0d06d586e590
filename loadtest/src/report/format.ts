import type { Measurement } from '../scenarios/scenario.js';

const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/** Costs per event: often below 1, where an integer would say nothing. */
const PER_EVENT = new Set<Measurement['unit']>(['commits/event', 'commands/delivery', 'CPU ms/event']);

/** A figure with its unit: `2,913 req/s`, `3.42 ms`. */
export function formatValue(value: number, unit: Measurement['unit']): string {
  return `${formatNumber(value, unit)} ${unit}`;
}

/** Rates as integers with separators; milliseconds and costs per event with three significant digits or so. */
export function formatNumber(value: number, unit: Measurement['unit']): string {
  if (!Number.isFinite(value)) return '–';
  if (unit === 'MB' || unit === 's' || unit === '%') return value.toFixed(1);
  if (PER_EVENT.has(unit) && value < 1) return value.toFixed(3);
  if (unit !== 'ms' && !PER_EVENT.has(unit)) return integer.format(value);
  if (value < 10) return value.toFixed(2);
  if (value < 100) return value.toFixed(1);
  return integer.format(value);
}

/** `ours / ceiling` in the words that suit the direction: `81%` of a rate, `3.1×` a latency. */
export function formatRatio(ratio: number, better: Measurement['better']): string {
  if (!Number.isFinite(ratio)) return '–';
  if (better === 'higher') return `${Math.round(ratio * 100)}%`;
  return `${ratio < 10 ? ratio.toFixed(1) : integer.format(ratio)}×`;
}

/** How ours compares to a published figure: `ours 19× higher`, `ours 3.2× lower`, `ours 2.0× higher (worse)`. */
export function formatAgainstReference(
  ours: number,
  reference: number,
  better: Measurement['better'],
): string {
  if (!Number.isFinite(ours) || !Number.isFinite(reference) || ours <= 0 || reference <= 0) return '–';
  const higher = ours >= reference;
  const factor = higher ? ours / reference : reference / ours;
  const shown = factor < 10 ? factor.toFixed(1) : integer.format(factor);
  const worse = higher !== (better === 'higher');
  return `ours ${shown}× ${higher ? 'higher' : 'lower'}${worse ? ' (worse)' : ''}`;
}

/** Left-aligned text table with a header rule; cells are already strings. */
export function renderTable(header: string[], rows: string[][]): string {
  const widths = header.map((cell, column) =>
    Math.max(cell.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const line = (cells: string[]): string =>
    cells
      .map((cell, column) => cell.padEnd(widths[column] ?? 0))
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line)].join('\n');
}
