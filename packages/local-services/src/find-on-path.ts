import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** The first `name` in the folders of `env.PATH`; undefined when none holds it. */
export function findOnPath(name: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  return (env.PATH ?? '')
    .split(':')
    .filter(Boolean)
    .map((dir) => join(dir, name))
    .find((file) => existsSync(file));
}
