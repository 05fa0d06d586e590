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
    dir: 'services/webhook-sink',
    readyUrl: `${SINK_URL}/healthz`,
    env: { PORT: '4100', SINK_SECRETS_FILE: paths.demoEndpointSecrets },
  },
  {
    name: 'ingest-api',
    dir: 'services/ingest-api',
    readyUrl: `${INGEST_API_URL}/readyz`,
    env: { PORT: '4000', METRICS_PORT: '9400' },
  },
  {
    name: 'processor',
    dir: 'services/processor',
    readyUrl: 'http://127.0.0.1:9401/readyz',
    env: { METRICS_PORT: '9401' },
  },
  {
    name: 'deliverer',
    dir: 'services/deliverer',
    readyUrl: 'http://127.0.0.1:9402/readyz',
    env: { METRICS_PORT: '9402' },
  },
];
