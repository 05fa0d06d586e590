import { ConfigError, Shutdown, closeServer, createLogger, createOpsServer, listen } from '@triggers/runtime';
import { loadConfig, type Config } from './config.js';
import { buildDelivererService } from './deliverer-service.js';

let config: Config;
try {
  config = loadConfig(process.env);
} catch (err) {
  if (!(err instanceof ConfigError)) throw err;
  console.error(`deliverer: ${err.message}`);
  process.exit(2);
}

const log = createLogger({ service: 'deliverer', level: config.logLevel });
const shutdown = new Shutdown(log, config.shutdownTimeoutMs);
shutdown.installProcessHandlers();

const service = buildDelivererService(config, log);
const opsServer = createOpsServer({ registry: service.registry, readiness: service.readiness });

// Readiness off first; then the worker, which waits for in-flight deliveries; the ops listener
// last so that /metrics stays scrapeable until the end.
shutdown
  .add('readiness off', () => service.readiness.startDraining())
  .add('deliverer', () => service.stop())
  .add('ops server', () => closeServer(opsServer));

const metricsPort = await listen(opsServer, config.metrics.port, config.metrics.host);
service.start();
log.info(
  {
    metricsPort,
    concurrency: config.worker.concurrency,
    sending: !config.http.disabled,
    privateTargets: config.http.allowPrivateTargets,
  },
  'deliverer started',
);
