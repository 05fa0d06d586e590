import { delivererConfig } from '@triggers/deliverer/config';
import { ingestApiConfig } from '@triggers/ingest-api/config';
import { processorConfig } from '@triggers/processor/config';
import type { ConfigVariable } from '@triggers/runtime';
import { webhookSinkConfig } from '@triggers/webhook-sink/config';

/** The page holding the generated configuration table (between its markers), relative to the repository root. */
export const CONFIGURATION_DOC = 'docs/configuration.md';
export const CONFIG_TABLE_START = '<!-- config:start -->';
export const CONFIG_TABLE_END = '<!-- config:end -->';

/** Each service's config contract, in the order the docs list them. */
export const serviceConfigs = {
  'ingest-api': ingestApiConfig,
  processor: processorConfig,
  deliverer: delivererConfig,
  'webhook-sink': webhookSinkConfig,
} as const;

export type ConfiguredService = keyof typeof serviceConfigs;

/** A variable's default as the docs show it: its value, or `required` / `optional`. */
export function defaultText(variable: ConfigVariable): string {
  return variable.kind === 'default' ? String(variable.default) : variable.kind;
}

/**
 * The configuration table: one row per variable, grouped by service, generated from each service's
 * config contract (descriptions and defaults as its schema declares them), so it cannot drift from
 * the code.
 */
export function renderConfigTable(): string {
  const rows = Object.entries(serviceConfigs).flatMap(([service, contract]) =>
    contract.variables.map(
      (v) =>
        `| ${service} | \`${v.name}\` | \`${defaultText(v)}\` | ${v.description.replace(/\|/g, '\\|')} |`,
    ),
  );
  return ['| service | variable | default | meaning |', '| --- | --- | --- | --- |', ...rows].join('\n');
}

/** `text` with the part between the table's markers replaced by the current table. */
export function withConfigTable(text: string): string {
  const start = text.indexOf(CONFIG_TABLE_START);
  const end = text.indexOf(CONFIG_TABLE_END);
  if (start === -1 || end < start) {
    throw new Error(`${CONFIGURATION_DOC} needs ${CONFIG_TABLE_START} and ${CONFIG_TABLE_END} markers`);
  }
  return `${text.slice(0, start)}${CONFIG_TABLE_START}\n${renderConfigTable()}\n${text.slice(end)}`;
}

/**
 * A service's `.env.example`: every variable with its description; required ones set to an empty
 * value to fill in, the others commented out at their default (so that a copy pins nothing).
 */
export function renderEnvExample(service: ConfiguredService): string {
  const header = [
    `# ${service}: every environment variable it reads. Generated from its config contract`,
    '# (src/config.ts) by `pnpm docs:config`; change the schema, not this file.',
  ];
  const entries = serviceConfigs[service].variables.map((v) =>
    [
      `# ${v.description}${v.kind === 'default' ? '' : ` (${v.kind})`}`,
      v.kind === 'required' ? `${v.name}=` : `# ${v.name}=${v.kind === 'default' ? String(v.default) : ''}`,
    ].join('\n'),
  );
  return `${[header.join('\n'), ...entries].join('\n\n')}\n`;
}

/** Where a service's `.env.example` lives, relative to the repository root. */
export const envExampleFile = (service: ConfiguredService) => `services/${service}/.env.example`;
