import { chmodSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Where one run keeps its servers' data and every log. */
export interface RunFolder {
  root: string;
  logs: string;
  postgres: string;
  redis: string;
}

/**
 * A fresh folder per run (CHAOS_DIR, else under the OS temp folder). World-enterable: as root,
 * Postgres runs as the `postgres` OS user, which must reach its data folder and its log.
 */
export function createRunFolder(base = process.env.CHAOS_DIR ?? tmpdir()): RunFolder {
  const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\..*/, '');
  const root = join(base, `triggers-chaos-${stamp}-${process.pid}`);
  const logs = join(root, 'logs');
  for (const dir of [base, root, logs]) {
    mkdirSync(dir, { recursive: true });
  }
  chmodSync(root, 0o755);
  chmodSync(logs, 0o755);
  return { root, logs, postgres: join(root, 'postgres'), redis: join(root, 'redis') };
}
