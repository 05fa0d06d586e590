import { capacityOf, percent, shouldStop, stepRates, stepVerdict } from './capacity-rules.js';

describe('stepVerdict', () => {
  const kept = { p95: 120, sent: 10_000, accepted: 10_000, undelivered: 0 };

  it('holds a step within the p95 bound, accepted and delivered in full', () => {
    expect(stepVerdict(kept)).toEqual({ held: true, reasons: [] });
    expect(stepVerdict({ ...kept, p95: 250 }).held).toBe(true);
  });

  it('misses a step whose p95 passes 250 ms', () => {
    expect(stepVerdict({ ...kept, p95: 251 })).toEqual({ held: false, reasons: ['p95 251 ms > 250 ms'] });
  });

  it('misses a step that left a backlog behind, however good its p95', () => {
    expect(stepVerdict({ ...kept, undelivered: 1 }).reasons).toEqual([
      '1 events not delivered 2 s after the step',
    ]);
  });

  it('misses a step whose requests the ingest API shed', () => {
    expect(stepVerdict({ ...kept, accepted: 9_899 }).held).toBe(false);
    expect(stepVerdict({ ...kept, accepted: 9_900 }).held).toBe(true);
  });

  it('misses a step without latencies (nothing arrived)', () => {
    expect(stepVerdict({ ...kept, p95: NaN }).held).toBe(false);
  });
});

describe('stepRates', () => {
  it('sorts the fractions, adds 10% and scales them to the bare express rate', () => {
    expect(stepRates([0.2, 0.05], 10_000)).toEqual([
      { fraction: 0.05, rate: 500 },
      { fraction: 0.1, rate: 1000 },
      { fraction: 0.2, rate: 2000 },
    ]);
    expect(stepRates([0.1, 0.1], 1234)).toEqual([{ fraction: 0.1, rate: 123 }]);
  });
});

describe('percent', () => {
  it('prints a fraction with at most one decimal', () => {
    expect([percent(0.075), percent(0.1), percent(0.125)]).toEqual(['7.5%', '10%', '12.5%']);
  });
});

describe('shouldStop', () => {
  const step = (fraction: number, held: boolean) => ({ fraction, held });

  it('stops after the given number of misses in a row', () => {
    expect(shouldStop([step(0.1, true), step(0.2, false)], 1)).toBe(true);
    expect(shouldStop([step(0.1, true), step(0.2, false)], 2)).toBe(false);
    expect(shouldStop([step(0.1, false), step(0.2, true), step(0.3, false)], 2)).toBe(false);
    expect(shouldStop([step(0.1, true), step(0.2, false), step(0.3, false)], 2)).toBe(true);
  });

  it('goes on to the 10% step even past capacity', () => {
    expect(shouldStop([step(0.025, false), step(0.05, false)], 2)).toBe(false);
    expect(shouldStop([step(0.05, false), step(0.1, false)], 2)).toBe(true);
  });
});

describe('capacityOf', () => {
  it('is the highest held rate, even after a step that missed', () => {
    const steps = [
      { rate: 500, held: true },
      { rate: 1000, held: false },
      { rate: 1500, held: true },
      { rate: 2000, held: false },
    ];
    expect(capacityOf(steps)?.rate).toBe(1500);
    expect(capacityOf([{ rate: 500, held: false }])).toBeUndefined();
  });
});
