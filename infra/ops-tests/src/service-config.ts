import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { serviceConfigs as contracts, type ConfiguredService } from '@triggers/dev/config-reference';
import type { Environment } from '@triggers/runtime';
import { repoRoot } from './repo.js';

export type { Environment };

/** A deployable, named as its configuration contract is (the one its main.ts loads). */
export type ServiceName = ConfiguredService;
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
