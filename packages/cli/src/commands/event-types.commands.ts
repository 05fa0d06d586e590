import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import type { CliContext } from '../cli-context.js';
import { parsePositiveInt } from './admin.commands.js';
import { queryString, segment } from './query-string.js';

/** `--schema '{"type":"object"}'` or `--schema @order.schema.json`. */
function parseSchema(value: string): Record<string, unknown> {
  const text = value.startsWith('@') ? readFileSync(value.slice(1), 'utf8') : value;
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch {
    throw new Error('--schema must be JSON, or @file holding JSON');
  }
}

/** `event-types create|list|get|update|delete` (organization API key). */
export function registerEventTypeCommands(program: Command, ctx: CliContext): void {
  const types = program
    .command('event-types')
    .description('registered event types and their schemas (API key)');
  types
    .command('create')
    .requiredOption('--name <name>', 'dotted type name, e.g. order.created')
    .option('--description <text>', 'a note for people')
    .option('--schema <json|@file>', 'JSON Schema payloads of this type must match', parseSchema)
    .action(async (opts: { name: string; description?: string; schema?: Record<string, unknown> }) => {
      ctx.print(await ctx.organization().request('POST', '/api/event-types', opts));
    });
  types
    .command('list')
    .option('--limit <n>', 'types per page (1-1000)', parsePositiveInt)
    .option('--cursor <cursor>', 'next_cursor of the previous page')
    .action(async (opts: { limit?: number; cursor?: string }) => {
      ctx.print(await ctx.organization().request('GET', `/api/event-types${queryString({ ...opts })}`));
    });
  types
    .command('get <name>')
    .action(async (name: string) =>
      ctx.print(await ctx.organization().request('GET', `/api/event-types/${segment(name)}`)),
    );
  types
    .command('update <name>')
    .option('--description <text>', 'a note for people')
    .option('--schema <json|@file>', 'the new JSON Schema', parseSchema)
    .option('--no-schema', 'remove the schema (accept any payload)')
    .action(
      async (name: string, opts: { description?: string; schema?: Record<string, unknown> | false }) => {
        const body = {
          ...(opts.description !== undefined && { description: opts.description }),
          ...(opts.schema === false
            ? { schema: null }
            : opts.schema !== undefined
              ? { schema: opts.schema }
              : {}),
        };
        ctx.print(await ctx.organization().request('PATCH', `/api/event-types/${segment(name)}`, body));
      },
    );
  types.command('delete <name>').action(async (name: string) => {
    await ctx.organization().request('DELETE', `/api/event-types/${segment(name)}`);
    ctx.print({ name, deleted: true });
  });
}
