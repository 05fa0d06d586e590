import { CAPACITY_P95_BOUND_MS, capacityChart } from './capacity-chart.js';
import { capacityRun, step } from './capacity-runs.fixture.js';

describe('capacityChart', () => {
  it('draws the run whose capacity is the median, against its own bare express rate', () => {
    const chart = capacityChart({
      runs: [
        capacityRun(1, 2400, [step(1000, 20), step(2400, 200), step(3000, 4000)], 11_000),
        capacityRun(2, 1800, [step(1000, 30)]),
        capacityRun(3, 2000, [step(1000, 25), step(2000, 240), step(2500, 3000)], 9_000),
        { scenario: 'e2e', run: 1, seconds: 10, outcome: { measurements: [], checks: [], details: {} } },
      ],
    });
    expect(chart).toMatchObject({ run: 3, runs: 3 });
    expect(chart!.input.points.map((point) => [point.rate, point.p95, point.held])).toEqual([
      [1000, 25, true],
      [2000, 240, true],
      [2500, 3000, false],
    ]);
    expect(chart!.input.reference?.rate).toBe(9_000);
    expect(chart!.input.boundMs).toBe(CAPACITY_P95_BOUND_MS);
    expect(chart!.input.subtitle).toContain('capacity 2,000 events/s = 22% of bare express');
  });

  it('skips steps without figures (a null written for NaN) and runs without a curve', () => {
    const chart = capacityChart({
      runs: [
        capacityRun(1, 2000, []),
        capacityRun(2, 1500, [step(1000, 30), { ...step(1500, 40), p95: null }, 'junk']),
      ],
    });
    expect(chart).toMatchObject({ run: 2, runs: 1 });
    expect(chart!.input.points).toHaveLength(1);
  });

  it('is undefined when no capacity run left a curve', () => {
    expect(capacityChart({ runs: [] })).toBeUndefined();
    expect(
      capacityChart({ runs: [{ scenario: 'capacity', run: 1, seconds: 1, error: 'boom' }] }),
    ).toBeUndefined();
  });
});
