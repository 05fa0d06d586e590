import { parsePrometheusText, sumOf } from './prometheus-text.js';

describe('parsePrometheusText', () => {
  it('reads names, labels and values and skips comments', () => {
    const samples = parsePrometheusText(
      [
        '# HELP triggers_deliveries_total Delivery attempts by outcome',
        '# TYPE triggers_deliveries_total counter',
        'triggers_deliveries_total{outcome="delivered",service="deliverer"} 1200',
        'triggers_deliveries_total{outcome="retry"} 3',
        'triggers_events_processed_total 100000',
        '',
      ].join('\n'),
    );
    expect(samples).toEqual([
      {
        name: 'triggers_deliveries_total',
        labels: { outcome: 'delivered', service: 'deliverer' },
        value: 1200,
      },
      { name: 'triggers_deliveries_total', labels: { outcome: 'retry' }, value: 3 },
      { name: 'triggers_events_processed_total', labels: {}, value: 100000 },
    ]);
    expect(sumOf(samples, 'triggers_deliveries_total')).toBe(1203);
    expect(sumOf(samples, 'triggers_deliveries_total', { outcome: 'delivered' })).toBe(1200);
    expect(sumOf(samples, 'missing')).toBe(0);
  });
});
