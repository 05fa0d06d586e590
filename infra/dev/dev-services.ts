import type { ServiceName } from '@triggers/service-launcher';
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

export const INGEST_API_URL = 'http://127.0.0.1:4000';

export const SINK_URL = 'http://127.0.0.1:4100';

/**
 * Started in this order, stopped in reverse. The demo receiver comes first: up before the
 * deliverer sends to it, down after. The other way round, the deliverer's first and last
 * deliveries failed and opened the demo endpoint's circuit for minutes.
 */
export const devServices: DevService[] = [
  {
    name: 'webhook-sink',
    env: { PORT: '4100', SINK_SECRETS_FILE: paths.demoEndpointSecrets },
  },
  {
    name: 'ingest-api',
    env: { PORT: '4000', METRICS_PORT: '9400' },
  },
  {
    name: 'processor',
    env: { METRICS_PORT: '9401' },
  },
  {
    name: 'deliverer',
    env: { METRICS_PORT: '9402' },
  },
];
