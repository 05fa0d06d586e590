import type { SummaryRow } from './aggregate.js';
import { evaluateTargets } from './targets.js';

const spread = (median: number) => ({ median, min: median, max: median, values: [median] });

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
          { ceilingId: 'bare-express.max-rate', ceilingSubject: 'bare express 5', ratio: spread(0.8) },
        ],
      }),
      row('ingest.latency-500.p99', 12, { unit: 'ms', better: 'lower' }),
      row('processing.rate', 11_000, {
        ratios: [{ ceilingId: 'bullmq-addbulk.rate', ceilingSubject: 'BullMQ addBulk', ratio: spread(0.65) }],
      }),
      row('delivery.rate', 3100, { unit: 'deliveries/s' }),
      row('soak.deliverer.rss-start', 200, { unit: 'MB', subject: 'deliverer', better: 'lower' }),
      row('soak.deliverer.rss-end', 230, { unit: 'MB', subject: 'deliverer', better: 'lower' }),
      row('soak.deliverer.rss-growth', 30, { unit: 'MB', subject: 'deliverer', better: 'lower' }),
    ]);
    expect(results.map((result) => [result.target.split(' (')[0], result.ok])).toEqual([
      ['durable ingest ≥ 75% of bare express', true],
      ['ingest p99 ≤ 10 ms at 500 req/s', false],
      ['processing ≥ 10,000 events/s', true],
      ['processing ≥ 70% of the addBulk ceiling', false],
      ['delivery ≥ 3,000/s', true],
      ['end-to-end p95 ≤ 50 ms at 500 events/s', null],
      ['memory flat under sustained load', false],
    ]);
  });

  it('says how to measure memory when no soak ran', () => {
    expect(evaluateTargets([]).at(-1)).toMatchObject({
      ok: null,
      detail: 'not measured (run with --soak 60)',
    });
  });
});
