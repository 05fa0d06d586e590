import { Counter, Registry, collectDefaultMetrics, type CounterConfiguration } from 'prom-client';

export { Counter, Gauge, Histogram, Registry } from 'prom-client';

/** A registry per service (never prom-client's global one, so tests can build several apps). */
export function createMetricsRegistry(service: string, options: { defaultMetrics?: boolean } = {}): Registry {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  if (options.defaultMetrics !== false) collectDefaultMetrics({ register: registry });
  return registry;
}

/** Latency buckets (seconds) fine enough to read a 1–10 ms API and coarse enough for webhook calls. */
export const LATENCY_BUCKETS = [
  0.0005, 0.001, 0.002, 0.003, 0.005, 0.0075, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
];

/** Every value each label of a counter can take, by label name. */
export type LabelValueLists = Readonly<Record<string, readonly string[]>>;

/** A counter that counts only the label values it was created with. */
export type CounterOf<V extends LabelValueLists> = Omit<Counter<keyof V & string>, 'inc' | 'labels'> & {
  inc(labels: { [K in keyof V]: V[K][number] }, value?: number): void;
};

/**
 * A labelled counter whose every series (each combination of `labelValues`) exists at 0 from the
 * start. prom-client creates a labelled series on its first increment, and Prometheus' rate() and
 * increase() cannot see the step of a series first scraped at 1: a failure right after a process
 * starts would never show. `inc` accepts only the listed values, so none can be left out.
 */
export function counterAtZero<const V extends LabelValueLists>(
  config: Omit<CounterConfiguration<keyof V & string>, 'labelNames'> & { labelValues: V },
): CounterOf<V> {
  const { labelValues, ...rest } = config;
  const labelNames = Object.keys(labelValues) as (keyof V & string)[];
  const counter = new Counter({ ...rest, labelNames });
  let series: Partial<Record<keyof V & string, string>>[] = [{}];
  for (const name of labelNames) {
    series = series.flatMap((labels) => labelValues[name]!.map((value) => ({ ...labels, [name]: value })));
  }
  for (const labels of series) counter.inc(labels, 0);
  return counter;
}

/**
 * Names of the registry's labelled counters that have no series yet: each would be born at its
 * first increment, a step rate() cannot see. Services test that theirs is an empty list.
 */
export async function countersWithoutSeries(registry: Registry): Promise<string[]> {
  const empty: string[] = [];
  for (const metric of registry.getMetricsAsArray()) {
    if (!(metric instanceof Counter)) continue;
    if ((await metric.get()).values.length === 0) empty.push(metric.name);
  }
  return empty;
}
