import type { SummaryRow } from './aggregate.js';
import { compareSummaries } from './compare.js';

const spread = (median: number) => ({ median, min: median, max: median, values: [median] });

const row = (id: string, value: number, overrides: Partial<SummaryRow> = {}): SummaryRow => ({
  id,
  scenario: id.split('.')[0]!,
  section: 'Ingest',
  subject: id.split('.')[0]!,
  figure: 'max rate',
  unit: 'req/s',
  better: 'higher',
  spread: spread(value),
  ratios: [],
  ...overrides,
});

describe('compareSummaries', () => {
  it('compares by the ratio to the ceiling when both runs have it, so a slower machine is not a regression', () => {
    const ratio = (value: number) => [
      { ceilingId: 'bare-express.max-rate', ceilingSubject: 'bare express 5', ratio: spread(value) },
    ];
    const [comparison] = compareSummaries(
      [row('ingest.max-rate', 1500, { ratios: ratio(0.8) })],
      [row('ingest.max-rate', 3000, { ratios: ratio(0.82) })],
      0.2,
    );
    expect(comparison).toMatchObject({ basis: 'ratio to bare express 5', regression: false });
    expect(comparison!.change).toBeCloseTo(-0.024, 3);
  });

  it('compares by the first ceiling both runs have, when a new ceiling now comes first', () => {
    const ratio = (ceilingId: string, value: number) => ({
      ceilingId,
      ceilingSubject: ceilingId,
      ratio: spread(value),
    });
    const [comparison] = compareSummaries(
      [
        row('processing.rate', 5000, {
          ratios: [ratio('new-ceiling.rate', 0.6), ratio('old-ceiling.rate', 0.5)],
        }),
      ],
      [row('processing.rate', 10_000, { ratios: [ratio('old-ceiling.rate', 0.5)] })],
      0.2,
    );
    expect(comparison).toMatchObject({ basis: 'ratio to old-ceiling.rate', change: 0, regression: false });
  });

  it('flags a latency that grew past the threshold, and never a ceiling', () => {
    const latency = { unit: 'ms' as const, better: 'lower' as const, figure: 'p99' };
    const comparisons = compareSummaries(
      [
        row('ingest.latency-500.p99', 13, latency),
        row('bare-http.max-rate', 5000, { section: 'Ceilings of this machine (same run)' }),
      ],
      [row('ingest.latency-500.p99', 10, latency), row('bare-http.max-rate', 9000, { section: 'Ceilings' })],
      0.2,
    );
    expect(comparisons.map((c) => [c.id, c.regression])).toEqual([
      ['ingest.latency-500.p99', true],
      ['bare-http.max-rate', false],
    ]);
  });

  it('skips figures missing from either run and growth figures', () => {
    expect(
      compareSummaries([row('a.rate', 1), row('soak.x.rss-growth', 2)], [row('soak.x.rss-growth', 1)], 0.2),
    ).toEqual([]);
  });
});
