import { z } from 'zod';
import { env, parseEnv } from '@triggers/runtime';

const schema = z.object({
  /** Port the sink listens on. */
  PORT: env.int(4100, 0, 65535),
  /** Interface the sink binds to. */
  HOST: env.string('127.0.0.1'),
  /** Minimum log level: fatal, error, warn, info, debug, trace or silent. */
  LOG_LEVEL: env.logLevel(),
  /** A file holding the endpoint secret(s) (`whsec_…`, one per line), read on each request; unset: signatures are not checked. */
  SINK_SECRETS_FILE: z.string().optional(),
  /** Status the sink answers with (try 500 or 429 to watch retries). */
  SINK_STATUS: env.int(200, 100, 599),
  /** Delay before answering, to simulate a slow receiver. */
  SINK_DELAY_MS: env.int(0, 0, 600_000),
});

export function loadConfig(environment: Record<string, string | undefined>) {
  const e = parseEnv(schema, environment);
  return {
    http: { host: e.HOST, port: e.PORT },
    secretsFile: e.SINK_SECRETS_FILE,
    answer: { status: e.SINK_STATUS, delayMs: e.SINK_DELAY_MS },
    logLevel: e.LOG_LEVEL,
  } as const;
}

export type Config = ReturnType<typeof loadConfig>;
