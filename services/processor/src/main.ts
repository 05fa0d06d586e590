import { ConfigError, Shutdown, closeServer, createLogger, createOpsServer, listen } from '@triggers/runtime';
import { loadConfig, type Config } from './config.js';
import { buildProcessorService } from './processor-service.js';

let config: Config;
try {
  config = loadConfig(process.env);
} catch (err) {
  if (!(err instanceof ConfigError)) throw err;
  console.error(`processor: ${err.message}`);
  process.exit(2);
}

const log = createLogger({ service: 'processor', level: config.logLevel });
const shutdown = new Shutdown(log, config.shutdownTimeoutMs);
shutdown.installProcessHandlers();

const service = buildProcessorService(config, log);
const opsServer = createOpsServer({ registry: service.registry, readiness: service.readiness });

// Readiness off first, then the work (finishing the batch in flight), then the ops listener last
// so that /metrics stays scrapeable until the end.
shutdown
  .add('readiness off', () => service.readiness.startDraining())
  .add('processor', () => service.stop())
  .add('ops server', () => closeServer(opsServer));

const metricsPort = await listen(opsServer, config.metrics.port, config.metrics.host);
await service.start();
log.info({ metricsPort, batchSize: config.batch.batchSize }, 'processor started');
