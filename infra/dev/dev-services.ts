import { delivererConfig } from '@triggers/deliverer/config';
import { ingestApiConfig } from '@triggers/ingest-api/config';
import { processorConfig } from '@triggers/processor/config';
import type { ServiceName } from '@triggers/service-launcher';
import { webhookSinkConfig } from '@triggers/webhook-sink/config';
import { paths } from './paths.js';

/** A service `make up` runs in the background, started by `@triggers/service-launcher`. */
export interface DevService {
  name: ServiceName;
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
    env: { PORT: String(ports.sink), SINK_SECRETS_FILE: paths.demoEndpointSecrets },
  },
  {
    name: 'ingest-api',
    env: { PORT: String(ports.api), METRICS_PORT: String(ports.ingestMetrics) },
  },
  {
    name: 'processor',
    env: { METRICS_PORT: String(ports.processorMetrics) },
  },
  {
    name: 'deliverer',
    env: { METRICS_PORT: String(ports.delivererMetrics) },
  },
];
