import { countersWithoutSeries, createMetricsRegistry } from '@triggers/runtime';
import { createIngestMetrics } from './metrics.js';

describe('createIngestMetrics', () => {
  it('creates every labelled counter at 0, so that the first increment after a start shows', async () => {
    const registry = createMetricsRegistry('ingest-api', { defaultMetrics: false });
    createIngestMetrics(registry);
    expect(await countersWithoutSeries(registry)).toEqual([]);
  });
});
