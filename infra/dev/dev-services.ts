import { delivererConfig } from '@triggers/deliverer/config';
import { ingestApiConfig } from '@triggers/ingest-api/config';
import { processorConfig } from '@triggers/processor/config';
import { webhookSinkConfig } from '@triggers/webhook-sink/config';
import { paths } from './paths.js';

/** A service `make up` runs in the background: `node --import tsx src/main.ts` in its folder. */
export interface DevService {
  name: string;
  /** Folder holding src/main.ts, relative to the repository root. */
  dir: string;
  /** Answers 200 once the service is ready. */
  readyUrl: string;
  /**
   * Its own settings. Ports are set per service because the services share variable names
   * (METRICS_PORT): a value inherited from the shell would make them collide.
   */
  env: Record<string, string>;
}

/** Each service's default ports, from its config contract. */
const ports = {
  api: ingestApiConfig.setting('PORT'),
  ingestMetrics: ingestApiConfig.setting('METRICS_PORT'),
  processorMetrics: processorConfig.setting('METRICS_PORT'),
  delivererMetrics: delivererConfig.setting('METRICS_PORT'),
  sink: webhookSinkConfig.setting('PORT'),
};

export const INGEST_API_URL = `http://127.0.0.1:${ports.api}`;

export const SINK_URL = `http://127.0.0.1:${ports.sink}`;

/**
 * Started in this order, stopped in reverse. The demo receiver comes first: up before the
 * deliverer sends to it, down after. The other way round, the deliverer's first and last
 * deliveries failed and opened the demo endpoint's circuit for minutes.
 */
export const devServices: DevService[] = [
  {
    name: 'webhook-sink',
    dir: 'services/webhook-sink',
    readyUrl: `${SINK_URL}/healthz`,
    env: { PORT: String(ports.sink), SINK_SECRETS_FILE: paths.demoEndpointSecrets },
  },
  {
    name: 'ingest-api',
    dir: 'services/ingest-api',
    readyUrl: `${INGEST_API_URL}/readyz`,
    env: { PORT: String(ports.api), METRICS_PORT: String(ports.ingestMetrics) },
  },
  {
    name: 'processor',
    dir: 'services/processor',
    readyUrl: `http://127.0.0.1:${ports.processorMetrics}/readyz`,
    env: { METRICS_PORT: String(ports.processorMetrics) },
  },
  {
    name: 'deliverer',
    dir: 'services/deliverer',
    readyUrl: `http://127.0.0.1:${ports.delivererMetrics}/readyz`,
    env: { METRICS_PORT: String(ports.delivererMetrics) },
  },
];
