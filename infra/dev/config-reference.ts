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

/**
 * Every environment variable the services read, with its default and one-line description, taken
 * from each service's `src/config.ts` (the only place that reads the environment). The README's
 * configuration table is generated from this, so it cannot drift from the code.
 */
export function readConfigReference(repoRoot: string): ConfigVariable[] {
  return SERVICES.flatMap((service) =>
    parseConfigSource(service, readFileSync(join(repoRoot, 'services', service, 'src', 'config.ts'), 'utf8')),
  );
}

export function parseConfigSource(service: string, source: string): ConfigVariable[] {
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
        default: defaultOf(field[2]!),
        description: comments.join(' '),
      });
    }
    if (!/^\s*$/.test(line)) comments = [];
  }
  return variables;
}

function defaultOf(expression: string): string {
  if (/^env\.(url|secret)\(/.test(expression)) return 'required';
  if (/\.optional\(\)/.test(expression)) return 'optional';
  if (/^env\.logLevel\(/.test(expression)) return 'info';
  const first = /^env\.\w+\(([^,)]*)/.exec(expression)?.[1]?.trim();
  if (first === undefined) return '';
  return first.replace(/^'(.*)'$/, '$1').replace(/_/g, '');
}

/** The README table: one row per variable, grouped by service. */
export function renderConfigTable(variables: ConfigVariable[]): string {
  const rows = variables.map(
    (v) =>
      `| ${v.service} | \`${v.name}\` | ${v.default === '' ? '' : `\`${v.default}\``} | ${v.description} |`,
  );
  return ['| service | variable | default | meaning |', '| --- | --- | --- | --- |', ...rows].join('\n');
}
