import { ConfigError, Shutdown, closeServer, createLogger, listen } from '@triggers/runtime';
import { loadConfig, type Config } from './config.js';
import { createSink } from './sink.js';

let config: Config;
try {
  config = loadConfig(process.env);
} catch (err) {
  if (!(err instanceof ConfigError)) throw err;
  console.error(`webhook-sink: ${err.message}`);
  process.exit(2);
}

const log = createLogger({ service: 'webhook-sink', level: config.logLevel });
const shutdown = new Shutdown(log, 5000);
shutdown.installProcessHandlers();
const sink = createSink({ secretsFile: config.secretsFile, answer: config.answer }, log);
shutdown.add('http server', () => closeServer(sink));
const port = await listen(sink, config.http.port, config.http.host);
log.info({ port, verifying: Boolean(config.secretsFile) }, 'webhook sink listening');
