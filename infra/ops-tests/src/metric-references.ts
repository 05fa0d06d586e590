import { declaredLabels } from './declared-labels.js';
import { exposedNames, type MetricCatalog } from './metric-catalog.js';
import { analyzePromql, withGrafanaVariables } from './promql.js';

/**
 * Labels Prometheus attaches to every scraped series (the services do not expose them), with the
 * release label the chart's ServiceMonitors copy from the pods.
 */
export const TARGET_LABELS = new Set([
  'job',
  'instance',
  'namespace',
  'pod',
  'container',
  'endpoint',
  'app_kubernetes_io_instance',
]);

/** Series Prometheus makes itself for every target. */
export const SYNTHETIC_METRICS = new Set(['up', 'scrape_duration_seconds', 'scrape_samples_scraped']);

/** A PromQL expression and where it was found. */
export interface Query {
  source: string;
  expr: string;
}

/**
 * What is wrong with a query, measured against what the services really expose: syntax errors,
 * metrics they do not expose, labels their series do not carry, `=` values never seen, `by`
 * labels that no metric inside the aggregation has. A labelled series the test traffic did not
 * produce is checked against the label names its metrics.ts declares instead (values unchecked).
 */
export function problemsOf(query: Query, catalog: MetricCatalog): string[] {
  const problems: string[] = [];
  const exposed = exposedNames(catalog);
  const declared = declaredLabels();
  const labelsOf = (metric: string): Map<string, Set<string> | undefined> | undefined => {
    const seen = catalog.samples.get(metric);
    if (seen) return seen;
    const names = declared.get(metric);
    return names && new Map([...names].map((name) => [name, undefined]));
  };
  const analysis = analyzePromql(withGrafanaVariables(query.expr));
  if (analysis.errors.length > 0) problems.push(`does not parse (at offset ${analysis.errors[0]})`);

  for (const selector of analysis.selectors) {
    const metric = selector.metric;
    if (!metric) {
      problems.push('a selector without a metric name');
      continue;
    }
    if (SYNTHETIC_METRICS.has(metric)) continue;
    if (!exposed.has(metric)) {
      problems.push(`${metric} is not exposed by any service`);
      continue;
    }
    const labels = labelsOf(metric);
    if (!labels) {
      problems.push(`${metric} had no sample in the scrape and no declaration in a metrics.ts`);
      continue;
    }
    for (const matcher of selector.matchers) {
      if (TARGET_LABELS.has(matcher.label)) continue;
      if (!labels.has(matcher.label)) {
        problems.push(`${metric} has no label ${matcher.label}`);
        continue;
      }
      // Regular expressions often name conditions the traffic does not produce (status=~"5..").
      const values = labels.get(matcher.label);
      if (values && matcher.op === '=' && !values.has(matcher.value)) {
        problems.push(
          `${metric}{${matcher.label}="${matcher.value}"} never seen (seen: ${[...values].join(', ')})`,
        );
      }
    }
  }

  for (const grouping of analysis.groupings) {
    const available = new Set(TARGET_LABELS);
    for (const metric of grouping.metrics) {
      for (const label of labelsOf(metric)?.keys() ?? []) available.add(label);
    }
    for (const label of grouping.labels) {
      if (!available.has(label))
        problems.push(`by (${label}): no metric inside the aggregation has that label`);
    }
  }
  return problems.map((p) => `${query.source}: ${p}`);
}
