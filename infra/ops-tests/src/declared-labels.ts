import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { paths } from './repo.js';
import { sampleNamesOf } from './metric-catalog.js';
import { serviceNames } from './service-config.js';

/**
 * Label names each metric is declared with in the services' src/metrics.ts (`labelNames`, or the
 * keys of a `counterAtZero`'s `labelValues`), plus the `service` label every registry adds: what a
 * labelled series will carry once it is first observed. Used for series the test traffic cannot
 * produce (e.g. a Postgres failure).
 */
export function declaredLabels(): Map<string, Set<string>> {
  const declared = new Map<string, Set<string>>();
  for (const service of serviceNames) {
    const file = join(paths.service(service), 'src', 'metrics.ts');
    if (!existsSync(file)) continue;
    const source = readFileSync(file, 'utf8');
    for (const block of source
      .split(/new (?=Counter|Gauge|Histogram|Summary)|(?=counterAtZero\()/)
      .slice(1)) {
      const type = block.startsWith('counterAtZero') ? 'counter' : /^(\w+)/.exec(block)![1]!.toLowerCase();
      const name = /name:\s*'([^']+)'/.exec(block)?.[1];
      if (!name) continue;
      const labelList = /labelNames:\s*\[([^\]]*)\]/.exec(block)?.[1];
      const labelValues = /labelValues:\s*\{([^}]*)\}/.exec(block)?.[1] ?? '';
      const names = labelList
        ? [...labelList.matchAll(/'([^']+)'/g)].map((m) => m[1]!)
        : [...labelValues.matchAll(/(\w+):\s*\[/g)].map((m) => m[1]!);
      const labels = new Set(['service', ...names]);
      for (const sample of sampleNamesOf(name, type)) {
        declared.set(sample, new Set([...labels, ...(sample.endsWith('_bucket') ? ['le'] : [])]));
      }
    }
  }
  return declared;
}
