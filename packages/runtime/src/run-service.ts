import type { Registry } from 'prom-client';
import { ConfigError, type Environment } from './config.js';
import { createLogger, type Logger } from './logger.js';
import { closeServer, createOpsServer, listen } from './ops-server.js';
import type { Readiness } from './readiness.js';
import { Shutdown } from './shutdown.js';

/** What runService needs of every service's config. */
export interface ServiceConfig {
  logLevel: string;
  shutdownTimeoutMs: number;
}

/** A service's parts, as its `build` returns them; nothing runs until `start`. */
export interface ServiceParts {
  /** Served by the operations listener; a tool without one (the demo sink) leaves it out. */
  ops?: { registry: Registry; readiness: Readiness; host: string; port: number };
  /** Starts taking work (listeners, pollers, workers); resolves with fields for the start log line. */
  start: () => Promise<Record<string, unknown>> | Record<string, unknown>;
  /**
   * Shutdown steps, run in this order after readiness turns 503 and before the operations listener
   * closes: stop taking work, finish what is in flight, close the pools it needed.
   */
  stop: [name: string, run: () => Promise<unknown> | unknown][];
}

export interface RunServiceOptions<C extends ServiceConfig> {
  /** As in logs and error messages: `ingest-api`, `processor`… */
  name: string;
  /** The service's contract's `load`. */
  loadConfig: (env: Environment) => C;
  build: (config: C, log: Logger) => ServiceParts;
  env?: Environment;
}

/**
 * Every service's main.ts: loads the config (an invalid one prints every problem and exits 2),
 * creates the logger, installs the signal and fatal-error handlers, builds the service, registers
 * its shutdown and starts it. The operations listener comes up last and goes down last: `/healthz`
 * answering means the service started, and `/metrics` stays scrapeable until the end.
 */
export async function runService<C extends ServiceConfig>(options: RunServiceOptions<C>): Promise<void> {
  let config: C;
  try {
    config = options.loadConfig(options.env ?? process.env);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    console.error(`${options.name}: ${err.message}`);
    process.exit(2);
  }

  const log = createLogger({ service: options.name, level: config.logLevel });
  const shutdown = new Shutdown(log, config.shutdownTimeoutMs);
  shutdown.installProcessHandlers();

  const parts = options.build(config, log);
  const ops = parts.ops;
  const opsServer = ops && createOpsServer(ops);
  // Readiness off first, so that balancers stop routing here before anything stops.
  if (ops) shutdown.add('readiness off', () => ops.readiness.startDraining());
  for (const [name, run] of parts.stop) shutdown.add(name, run);
  if (opsServer) shutdown.add('ops server', () => closeServer(opsServer));

  try {
    const started = await parts.start();
    const metricsPort = opsServer && ops ? await listen(opsServer, ops.port, ops.host) : undefined;
    log.info({ ...started, ...(metricsPort === undefined ? {} : { metricsPort }) }, 'service started');
  } catch (err) {
    log.fatal({ err }, 'service failed to start');
    await shutdown.run('start failed', 1);
  }
}
