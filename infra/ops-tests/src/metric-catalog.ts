/** What a set of /metrics pages exposes: every sample name with the labels and values seen on it. */
export interface MetricCatalog {
  /** Family names declared by `# TYPE` (labelled families may have no samples yet). */
  families: Map<string, string>;
  /** Sample names (histograms as _bucket, _sum, _count) -> label name -> values seen. */
  samples: Map<string, Map<string, Set<string>>>;
}

const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+\S+(?:\s+\d+)?$/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

/** Parses Prometheus text exposition (format 0.0.4), as prom-client serves it. */
export function catalogMetrics(pages: string[]): MetricCatalog {
  const catalog: MetricCatalog = { families: new Map(), samples: new Map() };
  for (const page of pages) {
    for (const line of page.split('\n')) {
      const type = /^# TYPE (\S+) (\S+)$/.exec(line);
      if (type) {
        catalog.families.set(type[1]!, type[2]!);
        continue;
      }
      if (line === '' || line.startsWith('#')) continue;
      const sample = SAMPLE.exec(line);
      if (!sample) throw new Error(`not a metric sample: ${line}`);
      const labels = catalog.samples.get(sample[1]!) ?? new Map<string, Set<string>>();
      catalog.samples.set(sample[1]!, labels);
      for (const [, name, value] of (sample[2] ?? '').matchAll(LABEL)) {
        const values = labels.get(name!) ?? new Set<string>();
        values.add(JSON.parse(`"${value!}"`) as string);
        labels.set(name!, values);
      }
    }
  }
  return catalog;
}

/** Sample names a family yields: a histogram's _bucket/_sum/_count, a summary's own and _sum/_count. */
export function sampleNamesOf(family: string, type: string): string[] {
  if (type === 'histogram') return [`${family}_bucket`, `${family}_sum`, `${family}_count`];
  if (type === 'summary') return [family, `${family}_sum`, `${family}_count`];
  return [family];
}

/** Every sample name the catalog's families can yield, whether or not a sample was seen yet. */
export function exposedNames(catalog: MetricCatalog): Set<string> {
  return new Set([...catalog.families].flatMap(([family, type]) => sampleNamesOf(family, type)));
}
