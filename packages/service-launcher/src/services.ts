import { join } from 'node:path';
import { findWorkspaceRoot } from '@triggers/local-services';

/** A variable naming a port a service listens on. */
export type PortVariable = 'PORT' | 'METRICS_PORT';

/** What tooling needs to know to run a service: where it is and where it answers. */
export interface ServiceInfo {
  /** Folder of the service, relative to the workspace root. */
  dir: string;
  /** Entry point, relative to `dir`, in TypeScript (its image runs the compiled `dist/main.js`). */
  entry: string;
  /** The ports it listens on. */
  ports: readonly PortVariable[];
  /** The port whose `/readyz` answers 200 once it serves. */
  readyPort: PortVariable;
}

/**
 * Every deployable of Triggers. The pipeline's services answer `/readyz` on their operations
 * port, which opens after the ingest API's own port; the demo sink answers it on its only port.
 */
export const SERVICES = {
  'ingest-api': {
    dir: 'services/ingest-api',
    entry: 'src/main.ts',
    ports: ['PORT', 'METRICS_PORT'],
    readyPort: 'METRICS_PORT',
  },
  processor: {
    dir: 'services/processor',
    entry: 'src/main.ts',
    ports: ['METRICS_PORT'],
    readyPort: 'METRICS_PORT',
  },
  deliverer: {
    dir: 'services/deliverer',
    entry: 'src/main.ts',
    ports: ['METRICS_PORT'],
    readyPort: 'METRICS_PORT',
  },
  'webhook-sink': { dir: 'services/webhook-sink', entry: 'src/main.ts', ports: ['PORT'], readyPort: 'PORT' },
} as const satisfies Record<string, ServiceInfo>;

export type ServiceName = keyof typeof SERVICES;

/** Every service, the pipeline's in the order an event flows through them, then the demo sink. */
export const SERVICE_NAMES = Object.keys(SERVICES) as readonly ServiceName[];

/** The services an event flows through, in that order. */
export const PIPELINE_SERVICES = ['ingest-api', 'processor', 'deliverer'] as const;

export type PipelineServiceName = (typeof PIPELINE_SERVICES)[number];

/** The absolute folder of `service`, in the workspace found from the current folder unless `root` is given. */
export function serviceDir(service: ServiceName, root?: string): string {
  const workspace = root ?? findWorkspaceRoot();
  if (workspace === undefined)
    throw new Error('not inside the Triggers workspace (no pnpm-workspace.yaml above)');
  return join(workspace, SERVICES[service].dir);
}

/** The `/readyz` of `service` running with `env` (which must set its ready port). */
export function serviceReadyUrl(
  service: ServiceName,
  env: Readonly<Record<string, string | number | undefined>>,
): string {
  const variable = SERVICES[service].readyPort;
  const port = env[variable];
  if (port === undefined) throw new Error(`${service}: ${variable} is not set`);
  return `http://127.0.0.1:${port}/readyz`;
}
