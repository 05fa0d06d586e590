import type { Command } from 'commander';
import type { CliContext } from '../cli-context.js';
import { parsePositiveInt } from './admin.commands.js';
import { collectHeader, commaList, queryString, segment } from './query-string.js';

interface EndpointOptions {
  url?: string;
  eventTypes?: string[];
  description?: string;
  header?: Record<string, string>;
  maxAttempts?: number;
  timeoutMs?: number;
  enable?: boolean;
  disable?: boolean;
}

function withEndpointOptions(command: Command): Command {
  return command
    .option(
      '--event-types <list>',
      'comma-separated filter: exact types, prefix.* or * (empty: every type)',
      commaList,
    )
    .option('--description <text>', 'a note for people')
    .option('--header <name=value>', 'extra request header (repeatable; replaces all headers)', collectHeader)
    .option('--max-attempts <n>', 'attempts before a delivery is dead (1-50)', parsePositiveInt)
    .option('--timeout-ms <ms>', 'per-attempt timeout (100-60000)', parsePositiveInt);
}

function toBody(opts: EndpointOptions) {
  return {
    ...(opts.url !== undefined && { url: opts.url }),
    ...(opts.eventTypes !== undefined && { event_types: opts.eventTypes }),
    ...(opts.description !== undefined && { description: opts.description }),
    ...(opts.header !== undefined && { headers: opts.header }),
    ...(opts.maxAttempts !== undefined && { max_attempts: opts.maxAttempts }),
    ...(opts.timeoutMs !== undefined && { timeout_ms: opts.timeoutMs }),
    ...(opts.enable && { enabled: true }),
    ...(opts.disable && { enabled: false }),
  };
}

/** `endpoints create|list|get|update|delete|rotate-secret|stats|test` (organization API key). */
export function registerEndpointCommands(program: Command, ctx: CliContext): void {
  const endpoints = program.command('endpoints').description('webhook endpoints (API key)');
  withEndpointOptions(endpoints.command('create').description('create an endpoint; prints its secret, once'))
    .requiredOption('--url <url>', 'where events are POSTed')
    .option('--disable', 'create it disabled')
    .action(async (opts: EndpointOptions) => {
      ctx.print(await ctx.organization().request('POST', '/api/endpoints', toBody(opts)));
    });
  endpoints
    .command('list')
    .option('--limit <n>', 'endpoints per page (1-1000)', parsePositiveInt)
    .option('--cursor <cursor>', 'next_cursor of the previous page')
    .action(async (opts: { limit?: number; cursor?: string }) => {
      ctx.print(await ctx.organization().request('GET', `/api/endpoints${queryString({ ...opts })}`));
    });
  endpoints
    .command('get <id>')
    .action(async (id: string) =>
      ctx.print(await ctx.organization().request('GET', `/api/endpoints/${segment(id)}`)),
    );
  withEndpointOptions(endpoints.command('update <id>').description('change an endpoint'))
    .option('--url <url>', 'where events are POSTed')
    .option('--enable', 'switch deliveries on')
    .option('--disable', 'switch deliveries off')
    .action(async (id: string, opts: EndpointOptions) => {
      ctx.print(await ctx.organization().request('PATCH', `/api/endpoints/${segment(id)}`, toBody(opts)));
    });
  endpoints.command('delete <id>').action(async (id: string) => {
    await ctx.organization().request('DELETE', `/api/endpoints/${segment(id)}`);
    ctx.print({ id, deleted: true });
  });
  endpoints
    .command('rotate-secret <id>')
    .description('new signing secret (printed once); the old one signs too for a grace period')
    .action(async (id: string) =>
      ctx.print(await ctx.organization().request('POST', `/api/endpoints/${segment(id)}/rotate-secret`)),
    );
  endpoints
    .command('stats <id>')
    .description('deliveries by outcome, last success and failure, circuit state')
    .action(async (id: string) =>
      ctx.print(await ctx.organization().request('GET', `/api/endpoints/${segment(id)}/stats`)),
    );
  endpoints
    .command('test <id>')
    .description('send a test event to this endpoint')
    .action(async (id: string) =>
      ctx.print(await ctx.organization().request('POST', `/api/endpoints/${segment(id)}/test`)),
    );
}
