import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { paths } from './paths.js';

/** Servers the dev scripts started themselves, as opposed to ones they found already answering. */
export interface OwnServers {
  postgres?: { dataDir: string; logFile: string; port: number };
  redis?: { dir: string; logFile: string; port: number };
}

export function readOwnServers(): OwnServers {
  if (!existsSync(paths.ownServers)) return {};
  return JSON.parse(readFileSync(paths.ownServers, 'utf8')) as OwnServers;
}

export function writeOwnServers(servers: OwnServers): void {
  mkdirSync(dirname(paths.ownServers), { recursive: true });
  writeFileSync(paths.ownServers, `${JSON.stringify(servers, null, 2)}\n`);
}
