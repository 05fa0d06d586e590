import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig as loadDelivererConfig } from '../../../services/deliverer/src/config.js';
import { loadConfig as loadIngestApiConfig } from '../../../services/ingest-api/src/config.js';
import { loadConfig as loadProcessorConfig } from '../../../services/processor/src/config.js';
import { loadConfig as loadWebhookSinkConfig } from '../../../services/webhook-sink/src/config.js';
import { repoRoot } from './repo.js';

export type Environment = Record<string, string | undefined>;

/** The deployables and each one's own configuration loader (the one its main.ts calls). */
const loaders = {
  'ingest-api': loadIngestApiConfig,
  processor: loadProcessorConfig,
  deliverer: loadDelivererConfig,
  'webhook-sink': loadWebhookSinkConfig,
} as const;

export type ServiceName = keyof typeof loaders;
export const serviceNames = Object.keys(loaders) as ServiceName[];

/** Placeholder values for the variables every service requires, valid enough to load a config. */
export const requiredPlaceholders: Environment = {
  DATABASE_URL: 'postgres://triggers@127.0.0.1:5432/triggers',
  REDIS_URL: 'redis://127.0.0.1:6379',
  ADMIN_TOKEN: 'an-admin-token-of-32-characters!',
};

/**
 * The variables a service reads, found by handing its real loadConfig an environment that
 * records every name asked of it: no list to keep in step with config.ts.
 */
export function variablesReadBy(service: ServiceName): Set<string> {
  const read = new Set<string>();
  const recorder = new Proxy(
    { ...requiredPlaceholders },
    {
      get(target, key) {
        if (typeof key === 'string') read.add(key);
        return Reflect.get(target, key) as unknown;
      },
    },
  );
  try {
    loaders[service](recorder);
  } catch {
    // A rejected placeholder still recorded the names it read.
  }
  // The placeholders are read only if the service asks for them.
  return read;
}

/** Loads the service's configuration from `env` exactly as its main.ts would; throws its ConfigError. */
export function loadServiceConfig(service: ServiceName, env: Environment): unknown {
  return loaders[service](env);
}

/** The ports a service listens on under `env`, as its own config resolves them (defaults included). */
export function listenPorts(
  service: ServiceName,
  env: Environment = requiredPlaceholders,
): { http?: number; metrics?: number } {
  const config = loaders[service]({ ...requiredPlaceholders, ...env }) as {
    http?: { port: number };
    metrics?: { port: number };
  };
  return { http: config.http?.port, metrics: config.metrics?.port };
}

/** Variables the migration command reads (packages/db/src/migrate.main.ts has no loadConfig). */
export function variablesReadByMigrations(): Set<string> {
  const source = readFileSync(join(repoRoot, 'packages', 'db', 'src', 'migrate.main.ts'), 'utf8');
  return new Set([...source.matchAll(/process\.env\.([A-Z][A-Z0-9_]*)/g)].map((m) => m[1]!));
}
