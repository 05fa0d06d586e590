import { rssThroughWindow, withinGrowthBound } from './memory.js';

describe('rssThroughWindow', () => {
  it('takes the median RSS of the first, middle and last fifth of the window', () => {
    const samples = Array.from({ length: 101 }, (_, i) => ({
      at: i * 100,
      rssBytes: 1000 + i,
      cpuSeconds: 0,
    }));
    // A GC spike in the first fifth does not move its median.
    samples[3]!.rssBytes = 99_999;
    expect(rssThroughWindow(samples, 0, 10_000)).toEqual({ start: 1011, middle: 1050, end: 1090 });
  });
});

describe('withinGrowthBound', () => {
  it('allows 16 MB or 10% of the start, whichever is larger', () => {
    expect(withinGrowthBound(100, 116)).toBe(true);
    expect(withinGrowthBound(100, 117)).toBe(false);
    expect(withinGrowthBound(300, 329)).toBe(true);
    expect(withinGrowthBound(300, 331)).toBe(false);
  });
});
