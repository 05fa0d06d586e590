import { fileURLToPath } from 'node:url';

/** The loadtest package folder (`loadtest/`), whatever the current directory. */
export const LOADTEST_DIR = fileURLToPath(new URL('../../', import.meta.url));

/** The workspace root. */
export const REPO_DIR = fileURLToPath(new URL('../../../', import.meta.url));

export function loadtestPath(relative: string): string {
  return fileURLToPath(new URL(relative, new URL('../../', import.meta.url)));
}
