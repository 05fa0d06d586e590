import { z } from 'zod';
import { defineConfig, env, processEnv } from '@triggers/runtime';

const schema = processEnv({ host: '127.0.0.1', shutdownTimeoutMs: 5000 }).extend({
  PORT: env.int(4100, 0, 65535).describe('Port the sink listens on.'),
  SINK_SECRETS_FILE: env
    .optionalString()
    .describe(
      'A file holding the endpoint secret(s) (`whsec_…`, one per line), read on each request; unset: signatures are not checked.',
    ),
  SINK_STATUS: env
    .int(200, 100, 599)
    .describe('Status the sink answers with (try 500 or 429 to watch retries).'),
  SINK_DELAY_MS: env.int(0, 0, 600_000).describe('Delay before answering, to simulate a slow receiver.'),
});

/** The demo webhook sink's configuration contract: its environment and its typed config. */
export const webhookSinkConfig = defineConfig(schema, (e: z.output<typeof schema>) => ({
  http: { host: e.HOST, port: e.PORT },
  secretsFile: e.SINK_SECRETS_FILE,
  answer: { status: e.SINK_STATUS, delayMs: e.SINK_DELAY_MS },
  logLevel: e.LOG_LEVEL,
  shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
}));

export const loadConfig = webhookSinkConfig.load;

export type Config = ReturnType<typeof loadConfig>;
