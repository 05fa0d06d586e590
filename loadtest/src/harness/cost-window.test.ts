import { costPerEvent, isLocalHost, postgresCpuBetween, type CostTotals } from './cost-window.js';

describe('costPerEvent', () => {
  const totals = {
    deliveries: 400,
    pgCommits: 1000,
    redisCommands: 16_000,
    cpu: { seconds: 2 },
  } as CostTotals;

  it('divides commits and CPU by the events, Redis commands by the deliveries', () => {
    expect(costPerEvent(totals, 500)).toEqual({
      events: 500,
      deliveries: 400,
      pgCommitsPerEvent: 2,
      redisCommandsPerDelivery: 40,
      cpuMsPerEvent: 4,
    });
  });

  it('has no cost per event without events', () => {
    const none = costPerEvent({ ...totals, deliveries: 0 }, 0);
    expect([none.pgCommitsPerEvent, none.redisCommandsPerDelivery, none.cpuMsPerEvent]).toEqual([
      NaN,
      NaN,
      NaN,
    ]);
  });
});

describe('postgresCpuBetween', () => {
  it('counts what each backend used since the first reading, and all of a new one', () => {
    const before = new Map([
      [10, 5.0],
      [11, 1.0],
    ]);
    const after = new Map([
      [10, 5.5],
      [11, 1.25],
      [12, 0.5],
    ]);
    expect(postgresCpuBetween(before, after)).toBeCloseTo(1.25);
  });
});

describe('isLocalHost', () => {
  it('reads Postgres processes only when the server runs on this machine', () => {
    expect(isLocalHost('postgres://postgres@127.0.0.1:5432/postgres')).toBe(true);
    expect(isLocalHost('postgres://postgres@localhost/postgres')).toBe(true);
    expect(isLocalHost('postgres://postgres@[::1]:5432/postgres')).toBe(true);
    expect(isLocalHost('postgres://postgres@db.internal:5432/postgres')).toBe(false);
  });
});
