import type { SummaryRow } from './aggregate.js';
import { evaluateTargets } from './targets.js';

const spread = (median: number, values = [median]) => ({ median, min: median, max: median, values });
const ratioTo = (ceilingId: string, ratio: number) => ({
  ratios: [{ ceilingId, ceilingSubject: ceilingId, ratio: spread(ratio) }],
});
// Units the capacity scenario gives its cost figures; the report prints whatever a row carries.
const perEvent = (unit: string) => ({ unit: unit as SummaryRow['unit'], better: 'lower' as const });

const row = (id: string, value: number, overrides: Partial<SummaryRow> = {}): SummaryRow => ({
  id,
  scenario: id.split('.')[0]!,
  section: 'x',
  subject: id.split('.')[0]!,
  figure: 'f',
  unit: 'events/s',
  better: 'higher',
  spread: spread(value),
  ratios: [],
  ...overrides,
});

describe('evaluateTargets', () => {
  it('judges each target on the medians and ratios of the run', () => {
    const results = evaluateTargets([
      row('ingest.max-rate', 2400, {
        ratios: [
          { ceilingId: 'bare-express.max-rate', ceilingSubject: 'bare express 5', ratio: spread(0.9) },
          {
            ceilingId: 'bare-express-durable.max-rate',
            ceilingSubject: 'bare express 5 + durable write',
            ratio: spread(0.8),
          },
        ],
      }),
      row('ingest.latency-500.p99', 12, { unit: 'ms', better: 'lower' }),
      row('processing.rate', 11_000, {
        ratios: [
          {
            ceilingId: 'processing-durable-ceiling.rate',
            ceilingSubject: 'INSERT + addBulk',
            ratio: spread(0.75),
          },
          { ceilingId: 'bullmq-addbulk.rate', ceilingSubject: 'BullMQ addBulk', ratio: spread(0.5) },
        ],
      }),
      row('delivery.rate', 3100, { unit: 'deliveries/s' }),
      row('capacity.rate', 1900, ratioTo('capacity.bare-express.max-rate', 0.19)),
      row('capacity.cost-10pct.pg-commits-per-event', 2.4, perEvent('commits/event')),
      // Within each run 1.5× and 3×: the median of those (2.25×) counts, not the ratio of the medians (1.5×).
      row('capacity.cost-10pct.cpu-ms-per-event', 0.3, {
        ...perEvent('ms'),
        spread: spread(0.3, [0.3, 0.6]),
      }),
      row('capacity.cost-at-capacity.cpu-ms-per-event', 0.2, {
        ...perEvent('ms'),
        spread: spread(0.2, [0.2, 0.2]),
      }),
      row('overload.delivered-rate', 1800, ratioTo('overload.capacity-rate', 0.95)),
      row('overload.postponed-share', 8, perEvent('%')),
      row('soak.deliverer.rss-start', 200, { unit: 'MB', subject: 'deliverer', better: 'lower' }),
      row('soak.deliverer.rss-end', 230, { unit: 'MB', subject: 'deliverer', better: 'lower' }),
      row('soak.deliverer.rss-growth', 30, { unit: 'MB', subject: 'deliverer', better: 'lower' }),
    ]);
    expect(results.map((result) => [result.target.split(' (')[0], result.ok])).toEqual([
      ['durable ingest ≥ 85% of bare express + durable write', false],
      ['ingest p99 ≤ 10 ms at 500 req/s', false],
      ['processing ≥ 10,000 events/s', true],
      ['processing ≥ 70% of its durable work alone', true],
      ['delivery ≥ 3,000/s', true],
      ['end-to-end p95 ≤ 50 ms at 500 events/s', null],
      ['capacity', false],
      ['Postgres commits per event ≤ 3 at 10% of capacity', true],
      ['CPU per event at 10% of capacity ≤ 2× CPU per event at capacity', false],
      ['overload: delivered ≥ 90% of capacity', true],
      ['overload: postponed ≤ 5%', false],
      ['memory flat under sustained load', false],
    ]);
    const detail = (prefix: string) => results.find((result) => result.target.startsWith(prefix))?.detail;
    expect(detail('CPU per event')).toBe('2.25× (0.30 ms against 0.20 ms)');
    expect(detail('Postgres commits')).toBe(
      '2.40 commits/event (runs 2.40 commits/event–2.40 commits/event)',
    );
    expect(detail('overload: postponed')).toBe('8.0% (runs 8.0%–8.0%)');
  });

  it('says how to measure memory when no soak ran', () => {
    expect(evaluateTargets([]).at(-1)).toMatchObject({
      ok: null,
      detail: 'not measured (run with --soak 60)',
    });
  });
});
