import { summarizeLatencies } from './latency.js';

describe('summarizeLatencies', () => {
  it('gives nearest-rank percentiles of unsorted samples', () => {
    const samples = Array.from({ length: 100 }, (_, index) => 100 - index);
    expect(summarizeLatencies(samples)).toEqual({
      count: 100,
      min: 1,
      avg: 50.5,
      p50: 50,
      p95: 95,
      p99: 99,
      max: 100,
    });
  });

  it('returns the single sample for every percentile', () => {
    expect(summarizeLatencies([3])).toMatchObject({ min: 3, p50: 3, p99: 3, max: 3 });
  });

  it('returns NaN figures for no samples', () => {
    expect(summarizeLatencies([]).p95).toBeNaN();
  });
});
