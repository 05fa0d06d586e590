import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { delivererConfig } from '@triggers/deliverer/config';
import { ingestApiConfig } from '@triggers/ingest-api/config';
import { processorConfig } from '@triggers/processor/config';
import type { Environment } from '@triggers/runtime';
import { webhookSinkConfig } from '@triggers/webhook-sink/config';
import { repoRoot } from './repo.js';

export type { Environment };

/** The deployables and each one's configuration contract (the one its main.ts loads). */
const contracts = {
  'ingest-api': ingestApiConfig,
  processor: processorConfig,
  deliverer: delivererConfig,
  'webhook-sink': webhookSinkConfig,
} as const;

export type ServiceName = keyof typeof contracts;
export const serviceNames = Object.keys(contracts) as ServiceName[];

/** Placeholder values for the variables every service requires, valid enough to load a config. */
export const requiredPlaceholders: Environment = {
  DATABASE_URL: 'postgres://triggers@127.0.0.1:5432/triggers',
  REDIS_URL: 'redis://127.0.0.1:6379',
  ADMIN_TOKEN: 'an-admin-token-of-32-characters!',
};

/** The variables a service reads: its contract's schema, the only place that reads the environment. */
export function variablesReadBy(service: ServiceName): Set<string> {
  return new Set(contracts[service].variables.map((v) => v.name));
}

/** Loads the service's configuration from `env` exactly as its main.ts would; throws its ConfigError. */
export function loadServiceConfig(service: ServiceName, env: Environment): unknown {
  return contracts[service].load(env);
}

/** The ports a service listens on under `env`, as its own config resolves them (defaults included). */
export function listenPorts(
  service: ServiceName,
  env: Environment = requiredPlaceholders,
): { http?: number; metrics?: number } {
  const config = contracts[service].load({ ...requiredPlaceholders, ...env }) as {
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
