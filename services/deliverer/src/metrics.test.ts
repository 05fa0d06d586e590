import { countersWithoutSeries, createMetricsRegistry } from '@triggers/runtime';
import { createDelivererMetrics } from './metrics.js';

describe('createDelivererMetrics', () => {
  it('creates every labelled counter at 0, so that the first increment after a start shows', async () => {
    const registry = createMetricsRegistry('deliverer', { defaultMetrics: false });
    // The gauges' sources are read only on a scrape, which this test does not make.
    const notScraped = undefined as never;
    createDelivererMetrics(registry, notScraped, notScraped, notScraped);
    expect(await countersWithoutSeries(registry)).toEqual([]);
  });
});
