import { chartVariants } from './chart-variants.js';
import { renderChart } from './helm.js';
import type { Query } from './metric-references.js';

/** The PromQL of every KEDA trigger the chart renders (in the variants that enable KEDA). */
export function kedaQueries(): Query[] {
  return chartVariants.flatMap((variant) =>
    renderChart(variant.options)
      .filter((m) => m.kind === 'ScaledObject')
      .flatMap((m) =>
        (m.spec.triggers as { type: string; metadata: { query: string } }[])
          .filter((t) => t.type === 'prometheus')
          .map((t) => ({
            source: `chart (${variant.name}) › ScaledObject ${m.metadata.name}`,
            expr: t.metadata.query,
          })),
      ),
  );
}
