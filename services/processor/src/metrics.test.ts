import { countersWithoutSeries, createMetricsRegistry } from '@triggers/runtime';
import { createProcessorMetrics } from './metrics.js';

describe('createProcessorMetrics', () => {
  it('creates every labelled counter at 0, so that the first increment after a start shows', async () => {
    const registry = createMetricsRegistry('processor', { defaultMetrics: false });
    // The gauges' sources are read only on a scrape, which this test does not make.
    const notScraped = undefined as never;
    createProcessorMetrics(registry, notScraped);
    expect(await countersWithoutSeries(registry)).toEqual([]);
  });
});
