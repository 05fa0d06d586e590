import { join, resolve } from 'node:path';

/** The repository root: this file lives in infra/dev. */
export const repoRoot = resolve(import.meta.dirname, '../..');

const data = join(repoRoot, '.data');

/** Everything `make up` keeps lives under .data/ (git-ignored); `make down` leaves it for the next up. */
export const paths = {
  data,
  logs: join(data, 'logs'),
  pids: join(data, 'pids'),
  postgres: join(data, 'postgres'),
  redis: join(data, 'redis'),
  /** Which local servers the dev scripts started themselves (so down stops those and only those). */
  ownServers: join(data, 'own-servers.json'),
  adminToken: join(data, 'admin-token'),
  demoKey: join(data, 'demo-key'),
  demoOrganization: join(data, 'demo-organization-id'),
  /** The demo endpoint's signing secret(s), read by the demo sink to verify what it receives. */
  demoEndpointSecrets: join(data, 'demo-endpoint-secrets'),
};
