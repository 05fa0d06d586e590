import { Counter, Registry, counterAtZero, countersWithoutSeries } from './metrics.js';

describe('counterAtZero', () => {
  it('exposes every combination of its label values at 0 before the first increment', async () => {
    const registry = new Registry();
    counterAtZero({
      name: 'test_failures_total',
      help: 'failures',
      labelValues: { kind: ['unavailable', 'data'], stage: ['insert', 'commit'] },
      registers: [registry],
    });
    const text = await registry.metrics();
    expect(
      text
        .split('\n')
        .filter((line) => line.startsWith('test_failures_total'))
        .sort(),
    ).toEqual([
      'test_failures_total{kind="data",stage="commit"} 0',
      'test_failures_total{kind="data",stage="insert"} 0',
      'test_failures_total{kind="unavailable",stage="commit"} 0',
      'test_failures_total{kind="unavailable",stage="insert"} 0',
    ]);
  });

  it('counts on the series it created', async () => {
    const registry = new Registry();
    const counter = counterAtZero({
      name: 'test_outcomes_total',
      help: 'outcomes',
      labelValues: { outcome: ['delivered', 'dead'] },
      registers: [registry],
    });
    counter.inc({ outcome: 'dead' });
    counter.inc({ outcome: 'dead' }, 2);
    expect((await counter.get()).values).toEqual([
      { labels: { outcome: 'delivered' }, value: 0 },
      { labels: { outcome: 'dead' }, value: 3 },
    ]);
  });
});

describe('countersWithoutSeries', () => {
  it('names the labelled counters that would be born at their first increment', async () => {
    const registry = new Registry();
    new Counter({ name: 'test_plain_total', help: 'no labels: at 0 from the start', registers: [registry] });
    new Counter({ name: 'test_late_total', help: 'labelled', labelNames: ['kind'], registers: [registry] });
    counterAtZero({
      name: 'test_early_total',
      help: 'labelled',
      labelValues: { kind: ['a'] },
      registers: [registry],
    });
    expect(await countersWithoutSeries(registry)).toEqual(['test_late_total']);
  });
});
