// Risk: an alert or panel that watches another system's job, or misses ours, because the job
// labels it names differ from those the chart's ServiceMonitors and docker-compose's Prometheus give.
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { alertQueries, loadRuleGroups } from '../src/alert-rules.js';
import { chartVariants } from '../src/chart-variants.js';
import { dashboardQueries } from '../src/dashboards.js';
import { renderChart, type RenderOptions } from '../src/helm.js';
import { ofKind, selects } from '../src/manifests.js';
import { analyzePromql, withGrafanaVariables } from '../src/promql.js';
import { paths } from '../src/repo.js';

const everyPart = chartVariants.find((v) => v.name === 'every optional part on')!.options;

/** The `job` label each ServiceMonitor gives: the jobLabel of the metrics Service it selects. */
function chartJobs(options: RenderOptions): string[] {
  const manifests = renderChart(options);
  return ofKind(manifests, 'ServiceMonitor')
    .map((monitor) => {
      const [service] = ofKind(manifests, 'Service').filter((s) =>
        selects(monitor.spec.selector.matchLabels, s.metadata.labels ?? {}),
      );
      return service?.metadata.labels?.[monitor.spec.jobLabel as string] ?? '(none)';
    })
    .sort();
}

const jobs = chartJobs(everyPart);

describe('the Prometheus job labels', () => {
  it('are one per service, the same in every release', () => {
    expect(jobs).toHaveLength(3);
    expect(chartJobs({ ...everyPart, releaseName: 'other', namespace: 'elsewhere' })).toEqual(jobs);
  });

  it("are docker-compose's scrape jobs", () => {
    const config = parse(readFileSync(paths.prometheusConfig, 'utf8')) as {
      scrape_configs: { job_name: string }[];
    };
    expect(config.scrape_configs.map((c) => c.job_name).sort()).toEqual(jobs);
  });

  it.each(
    [...alertQueries(), ...dashboardQueries()]
      .filter((q) => /\bup\{/.test(q.expr))
      .map((q) => [q.source, q] as const),
  )('%s names them exactly', (_source, query) => {
    for (const selector of analyzePromql(withGrafanaVariables(query.expr)).selectors) {
      if (selector.metric !== 'up') continue;
      const job = selector.matchers.filter((m) => m.label === 'job');
      expect(job).toHaveLength(1);
      const named = job[0]!.op === '=~' ? job[0]!.value.split('|').sort() : [job[0]!.value];
      expect({ op: job[0]!.op, named: named.filter((j) => !jobs.includes(j)) }).toEqual({
        op: expect.stringMatching(/^=~?$/),
        named: [],
      });
      if (job[0]!.op === '=~') expect(named).toEqual(jobs);
    }
  });

  it('each have an absence alert of their own, labelled with the job', () => {
    const absent = loadRuleGroups()
      .flatMap((g) => g.rules)
      .filter((r) => r.expr.includes('absent('));
    expect(absent.map((r) => r.labels?.job).sort()).toEqual(jobs);
    for (const rule of absent) expect(rule.expr).toBe(`absent(up{job="${rule.labels!.job}"} == 1)`);
  });
});
