import { problemsOf, type RoundResult } from './round-result.js';

interface Column {
  title: string;
  align: 'left' | 'right';
  value: (r: RoundResult) => string;
}

const int = (n: number) => (Number.isNaN(n) ? '?' : n.toLocaleString('en-US'));

export function formatDuration(ms: number | undefined): string {
  if (ms === undefined) return 'timeout';
  return `${(Math.max(0, ms) / 1000).toFixed(1)} s`;
}

const COLUMNS: Column[] = [
  { title: 'round', align: 'right', value: (r) => String(r.round) },
  { title: 'fault', align: 'left', value: (r) => r.fault },
  { title: 'requests', align: 'right', value: (r) => int(r.requests.requests) },
  { title: '202s', align: 'right', value: (r) => int(r.requests.accepted) },
  { title: '5xx', align: 'right', value: (r) => int(r.requests.serverErrors) },
  { title: 'conn err', align: 'right', value: (r) => int(r.requests.connectionErrors) },
  { title: 'events lost', align: 'right', value: (r) => int(r.events.lost + r.events.wrongId) },
  { title: 'deliveries missing', align: 'right', value: (r) => int(r.deliveries.missing) },
  {
    title: 'duplicates (bound)',
    align: 'right',
    value: (r) => `${int(r.duplicates.duplicates)} (${int(r.duplicates.bound)})`,
  },
  { title: 'stuck', align: 'right', value: (r) => int(r.stuck.stuck) },
  { title: 'recovery time', align: 'right', value: (r) => formatDuration(r.recoveryMs) },
  { title: 'self-recovered', align: 'left', value: (r) => (r.recovery.recovered ? 'yes' : 'no') },
  { title: 'result', align: 'left', value: (r) => (problemsOf(r).length === 0 ? 'ok' : 'FAIL') },
];

/** The run's table: one line per round, then the whole run re-checked at the end. */
export function formatTable(rounds: readonly RoundResult[], total: RoundResult | undefined): string {
  const rows = [...rounds, ...(total ? [total] : [])].map((r) => COLUMNS.map((c) => c.value(r)));
  const widths = COLUMNS.map((c, i) => Math.max(c.title.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => (COLUMNS[i]!.align === 'left' ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!)))
      .join('  ')
      .trimEnd();
  const rule = widths.map((w) => '-'.repeat(w)).join('  ');
  const body = rows.map(line);
  if (total) body.splice(rounds.length, 0, rule);
  return [line(COLUMNS.map((c) => c.title)), rule, ...body].join('\n');
}
