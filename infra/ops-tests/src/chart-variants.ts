import type { RenderOptions } from './helm.js';
import { paths } from './repo.js';

/** The value sets the chart is rendered and checked with. */
export const chartVariants: { name: string; options: RenderOptions }[] = [
  { name: 'default values', options: {} },
  { name: 'production values', options: { valuesFiles: [paths.productionValues] } },
  {
    name: 'every optional part on',
    options: {
      set: {
        'keda.enabled': true,
        'serviceMonitor.enabled': true,
        'prometheusRule.enabled': true,
        'ingestApi.autoscaling.enabled': true,
        'networkPolicy.enabled': true,
        'migrations.enabled': true,
      },
    },
  },
  {
    name: 'optional parts off',
    options: {
      set: {
        'networkPolicy.enabled': false,
        'migrations.enabled': false,
        'serviceAccount.create': false,
        'ingestApi.podDisruptionBudget.enabled': false,
      },
    },
  },
];
