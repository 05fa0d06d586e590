import { readFileSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import { paths } from './repo.js';

export interface WorkspacePackage {
  name: string;
  dir: string;
  /** `exports` as written: subpath → target (a path, or conditions → path). */
  exports: Record<string, unknown>;
  dependencies: Record<string, string>;
  buildScript: string | undefined;
}

interface PackageJson {
  name: string;
  exports?: Record<string, unknown>;
  dependencies?: Record<string, string>;
  scripts?: Record<string, string>;
}

function readPackage(dir: string): WorkspacePackage {
  const json = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as PackageJson;
  return {
    name: json.name,
    dir,
    exports: json.exports ?? {},
    dependencies: json.dependencies ?? {},
    buildScript: json.scripts?.build,
  };
}

/** A workspace dependency's folder, found through the link pnpm made for it. */
const dependencyDir = (from: string, name: string) => realpathSync(join(from, 'node_modules', name));

/**
 * The workspace packages a service imports at run time: its production dependencies on `workspace:`
 * packages and theirs, transitively (what `pnpm deploy --prod` copies into its bundle).
 */
export function workspacePackagesRunBy(service: string): WorkspacePackage[] {
  const found = new Map<string, WorkspacePackage>();
  const visit = (from: WorkspacePackage) => {
    for (const [name, spec] of Object.entries(from.dependencies)) {
      if (!spec.startsWith('workspace:') || found.has(name)) continue;
      const dependency = readPackage(dependencyDir(from.dir, name));
      found.set(name, dependency);
      visit(dependency);
    }
  };
  visit(readPackage(paths.service(service)));
  return [...found.values()];
}

/**
 * The package and source file behind a compiled script an image runs from a service's bundle:
 * `dist/<x>.js` (the service's own) or `node_modules/<workspace package>/dist/<x>.js`.
 */
export function compiledEntry(
  service: string,
  script: string,
): { package: WorkspacePackage; source: string; dependencySpec: string | undefined } {
  const own = readPackage(paths.service(service));
  const match = /^(?:node_modules\/(@[\w-]+\/[\w-]+)\/)?dist\/(.+)\.js$/.exec(script);
  if (!match) throw new Error(`${script}: not a compiled script under dist/`);
  const [, dependency, file] = match;
  const owner = dependency ? readPackage(dependencyDir(own.dir, dependency)) : own;
  return {
    package: owner,
    source: join(owner.dir, 'src', `${file}.ts`),
    dependencySpec: dependency ? own.dependencies[dependency] : undefined,
  };
}
