// Risk: a dashboard panel, alert or autoscaler that silently reads nothing because a metric or a
// label was renamed, misspelt or never existed. Every PromQL expression is checked against what the
// real services expose after real traffic, so such a change breaks the build.
import { alertQueries } from '../src/alert-rules.js';
import { dashboardQueries } from '../src/dashboards.js';
import { kedaQueries } from '../src/keda-queries.js';
import type { MetricCatalog } from '../src/metric-catalog.js';
import { problemsOf, type Query } from '../src/metric-references.js';
import { runPipelineAndScrape, type RunningPipeline } from '../src/running-pipeline.js';

let pipeline: RunningPipeline | undefined;
let catalog: MetricCatalog;

beforeAll(async () => {
  pipeline = await runPipelineAndScrape();
  catalog = pipeline.catalog;
}, 120_000);

afterAll(async () => {
  await pipeline?.stop();
});

const table = (queries: Query[]) => queries.map((q) => [q.source, q] as const);

describe('PromQL in the Grafana dashboards', () => {
  it.each(table(dashboardQueries()))('%s reads metrics the services expose', (_source, query) => {
    expect(problemsOf(query, catalog)).toEqual([]);
  });
});

describe('PromQL in the Prometheus alert rules', () => {
  it.each(table(alertQueries()))('%s reads metrics the services expose', (_source, query) => {
    expect(problemsOf(query, catalog)).toEqual([]);
  });
});

describe("PromQL in the chart's KEDA triggers", () => {
  const queries = kedaQueries();

  it('exist for the processor and the deliverer', () => {
    expect(queries.length).toBeGreaterThanOrEqual(2);
  });

  it.each(table(queries))('%s reads metrics the services expose', (_source, query) => {
    expect(problemsOf(query, catalog)).toEqual([]);
  });
});

describe('problemsOf', () => {
  it('reports a renamed metric, a missing label, an unseen value and a bad grouping', () => {
    const check = (expr: string) => problemsOf({ source: 'q', expr }, catalog);
    expect(check('sum(rate(triggers_events_acepted_total[5m]))')).toEqual([
      'q: triggers_events_acepted_total is not exposed by any service',
    ]);
    expect(check('triggers_deliveries_total{result="delivered"}')[0]).toMatch(/has no label result/);
    expect(check('triggers_deliveries_total{outcome="deliverd"}')[0]).toMatch(/never seen/);
    expect(check('sum by (route) (rate(triggers_events_accepted_total[5m]))')[0]).toMatch(/by \(route\)/);
    expect(check('sum(rate(triggers_events_accepted_total[5m])')[0]).toMatch(/does not parse/);
  });

  it('accepts what Prometheus adds: target labels, histogram series and up', () => {
    const check = (expr: string) => problemsOf({ source: 'q', expr }, catalog);
    expect(
      check('sum by (job, le) (rate(triggers_http_request_duration_seconds_bucket{namespace="x"}[5m]))'),
    ).toEqual([]);
    expect(check('up{job="processor"} == 0')).toEqual([]);
  });
});
