// Risk: a dashboard Grafana cannot load (duplicate ids, overlapping panels, a data source that is
// not there), that hides the first sign of trouble (the queue must be the first thing seen), or
// that draws rows, seconds and rates on one axis in one unit.
import {
  allPanels,
  loadDashboards,
  quantityOf,
  quantityOfUnit,
  unitOf,
  type Panel,
} from '../src/dashboards.js';
import { analyzePromql, withGrafanaVariables } from '../src/promql.js';

const dashboards = loadDashboards();
const overview = dashboards.find((d) => d.uid === 'triggers-overview')!;
const metricsOf = (panel: Panel) =>
  new Set(
    (panel.targets ?? []).flatMap((t) =>
      analyzePromql(withGrafanaVariables(t.expr)).selectors.map((s) => s.metric),
    ),
  );
const inReadingOrder = (panels: Panel[]) =>
  [...panels].sort((a, b) => a.gridPos.y - b.gridPos.y || a.gridPos.x - b.gridPos.x);

describe.each(dashboards.map((d) => [d.file, d] as const))('%s', (_file, dashboard) => {
  const panels = allPanels(dashboard);

  it('has a uid, a title and unique panel ids', () => {
    expect(dashboard.uid).toMatch(/^[\w-]{1,40}$/);
    expect(dashboard.title).toBeTruthy();
    expect(new Set(panels.map((p) => p.id)).size).toBe(panels.length);
  });

  it('queries through its Prometheus data source variable', () => {
    expect(dashboard.templating.list).toContainEqual(
      expect.objectContaining({ name: 'datasource', type: 'datasource', query: 'prometheus' }),
    );
    for (const panel of panels.filter((p) => p.type !== 'row')) {
      expect(panel.datasource).toEqual({ type: 'prometheus', uid: '${datasource}' });
      expect(panel.targets?.length).toBeGreaterThan(0);
      for (const target of panel.targets!)
        expect(analyzePromql(withGrafanaVariables(target.expr)).errors).toEqual([]);
    }
  });

  it('draws each query in a unit of what it measures, with an override of its own where a panel mixes them', () => {
    for (const panel of panels.filter((p) => p.type !== 'row')) {
      const targets = panel.targets ?? [];
      const mixed = new Set(targets.map((t) => quantityOf(t.expr))).size > 1;
      for (const target of targets) {
        const { unit, overridden } = unitOf(panel, target.refId);
        const where = `${panel.title} › ${target.refId}`;
        expect({ where, unit, quantity: quantityOfUnit(unit) }).toEqual({
          where,
          unit,
          quantity: quantityOf(target.expr),
        });
        if (mixed) expect({ where, overridden }).toEqual({ where, overridden: true });
      }
    }
  });

  it('lays panels out on the 24-column grid without overlaps', () => {
    const cells = new Set<string>();
    for (const { gridPos: g, title } of panels) {
      expect(g.x + g.w).toBeLessThanOrEqual(24);
      for (let x = g.x; x < g.x + g.w; x++) {
        for (let y = g.y; y < g.y + g.h; y++) {
          expect({ title, cell: cells.has(`${x},${y}`) }).toEqual({ title, cell: false });
          cells.add(`${x},${y}`);
        }
      }
    }
  });
});

describe('the overview dashboard', () => {
  const panels = inReadingOrder(allPanels(overview).filter((p) => p.type !== 'row'));

  it('shows queue depth and the oldest queued age, and only those, in its first row', () => {
    const firstRowY = panels[0]!.gridPos.y;
    const firstRow = panels.filter((p) => p.gridPos.y === firstRowY);
    const metrics = new Set(firstRow.flatMap((p) => [...metricsOf(p)]));
    expect([...metrics].sort()).toEqual([
      'triggers_event_queue_depth',
      'triggers_event_queue_oldest_age_seconds',
    ]);
  });

  it('then ingest, processing against ingest, deliveries, retries and the DLQ, circuits and end-to-end latency, in that order', () => {
    const wanted: [string, (p: Panel) => boolean][] = [
      ['ingest rate', (p) => metricsOf(p).has('triggers_events_accepted_total')],
      [
        'latency percentiles by status',
        (p) =>
          (p.targets ?? []).some((t) =>
            /histogram_quantile[\s\S]*by \(le, status\)[\s\S]*triggers_http_request_duration_seconds_bucket/.test(
              t.expr,
            ),
          ),
      ],
      [
        'processing versus ingest',
        (p) =>
          metricsOf(p).has('triggers_events_processed_total') &&
          metricsOf(p).has('triggers_events_accepted_total'),
      ],
      [
        'deliveries by outcome',
        (p) => (p.targets ?? []).some((t) => /by \(outcome\)[\s\S]*triggers_deliveries_total/.test(t.expr)),
      ],
      [
        'retries and DLQ size',
        (p) =>
          metricsOf(p).has('triggers_delivery_retries_total') && metricsOf(p).has('triggers_dead_deliveries'),
      ],
      ['circuit states', (p) => metricsOf(p).has('triggers_circuit_opened_total')],
      ['end-to-end latency', (p) => metricsOf(p).has('triggers_end_to_end_latency_seconds_bucket')],
    ];
    const positions = wanted.map(([what, matches]) => {
      const index = panels.findIndex(matches);
      expect({ what, found: index >= 0 }).toEqual({ what, found: true });
      return index;
    });
    expect(positions).toEqual([...positions].sort((a, b) => a - b));
  });
});
