import { closeServer, listen, runService } from '@triggers/runtime';
import { loadConfig } from './config.js';
import { createSink } from './sink.js';

await runService({
  name: 'webhook-sink',
  loadConfig,
  build: (config, log) => {
    const sink = createSink({ secretsFile: config.secretsFile, answer: config.answer }, log);
    return {
      stop: [['http server', () => closeServer(sink)]],
      start: async () => ({
        port: await listen(sink, config.http.port, config.http.host),
        verifying: Boolean(config.secretsFile),
      }),
    };
  },
});
