import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * The folder holding pnpm-workspace.yaml, found by walking up from `from` (default: the current
 * folder). Walking from cwd rather than from this file keeps the code free of import.meta, which
 * jest's CommonJS transform cannot compile.
 */
export function findWorkspaceRoot(from = process.cwd()): string | undefined {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'pnpm-workspace.yaml'))) return dir;
    if (dirname(dir) === dir) return undefined;
  }
}
