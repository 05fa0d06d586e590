import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface ConfigVariable {
  service: string;
  name: string;
  /** The default as written in the schema, or `required` / `optional`. */
  default: string;
  description: string;
}

const SERVICES = ['ingest-api', 'processor', 'deliverer', 'webhook-sink'];

/** The page holding the generated table, relative to the repository root. */
export const CONFIGURATION_DOC = 'docs/configuration.md';

/**
 * Every environment variable the services read, with its default and one-line description, taken
 * from each service's `src/config.ts` (the only place that reads the environment). The table of
 * {@link CONFIGURATION_DOC} is generated from this, so it cannot drift from the code.
 */
export function readConfigReference(repoRoot: string): ConfigVariable[] {
  return SERVICES.flatMap((service) => {
    const source = readFileSync(join(repoRoot, 'services', service, 'src', 'config.ts'), 'utf8');
    return parseConfigSource(service, source, importedConstants(repoRoot, source));
  });
}

/**
 * Numbers a config imports from a package for a default (`DEFAULT_DELIVERIES_PER_JOB`), as their
 * package's `src/index.ts` exports them (`export const NAME = 50;` in the file it re-exports from).
 */
function importedConstants(repoRoot: string, source: string): Map<string, string> {
  const constants = new Map<string, string>();
  for (const [, names, pkg] of source.matchAll(/^import \{([^}]*)\} from '@triggers\/([\w-]+)';$/gm)) {
    const dir = join(repoRoot, 'packages', pkg!, 'src');
    const index = readFileSync(join(dir, 'index.ts'), 'utf8');
    const files = [...index.matchAll(/from '\.\/([\w-]+)\.js'/g)].map((m) => join(dir, `${m[1]}.ts`));
    for (const name of names!.split(',').map((n) => n.trim())) {
      for (const file of files) {
        const value = new RegExp(`^export const ${name} = ([\\d_]+);$`, 'm').exec(
          readFileSync(file, 'utf8'),
        )?.[1];
        if (value !== undefined) constants.set(name, value);
      }
    }
  }
  return constants;
}

export function parseConfigSource(
  service: string,
  source: string,
  constants: ReadonlyMap<string, string> = new Map(),
): ConfigVariable[] {
  const variables: ConfigVariable[] = [];
  let comments: string[] = [];
  for (const line of source.split('\n')) {
    const comment = /^\s*\/\*\*\s*(.*?)\s*\*\/\s*$/.exec(line);
    if (comment) {
      comments.push(comment[1]!);
      continue;
    }
    const field = /^ {2}([A-Z][A-Z0-9_]+): (.*)$/.exec(line);
    if (field) {
      variables.push({
        service,
        name: field[1]!,
        default: defaultOf(field[2]!, constants),
        description: comments.join(' '),
      });
    }
    if (!/^\s*$/.test(line)) comments = [];
  }
  return variables;
}

function defaultOf(expression: string, constants: ReadonlyMap<string, string>): string {
  if (/^env\.(url|secret)\(/.test(expression)) return 'required';
  if (/\.optional\(\)/.test(expression)) return 'optional';
  if (/^env\.logLevel\(/.test(expression)) return 'info';
  const first = /^env\.\w+\(([^,)]*)/.exec(expression)?.[1]?.trim();
  if (first === undefined) return '';
  return (constants.get(first) ?? first).replace(/^'(.*)'$/, '$1').replace(/_/g, '');
}

/** The configuration table: one row per variable, grouped by service. */
export function renderConfigTable(variables: ConfigVariable[]): string {
  const rows = variables.map(
    (v) =>
      `| ${v.service} | \`${v.name}\` | ${v.default === '' ? '' : `\`${v.default}\``} | ${v.description} |`,
  );
  return ['| service | variable | default | meaning |', '| --- | --- | --- | --- |', ...rows].join('\n');
}
