import type { Command } from 'commander';
import type { CliContext } from '../cli-context.js';
import { parsePositiveInt } from './admin.commands.js';
import { queryString, segment } from './query-string.js';

interface ListOptions {
  type?: string;
  status?: string;
  from?: string;
  to?: string;
  limit?: number;
  cursor?: string;
}

/** `events list|get`, `inbox`, `ack`: reading events and pulling them (organization API key). */
export function registerEventCommands(program: Command, ctx: CliContext): void {
  const events = program.command('events').description('events of the organization (API key)');
  events
    .command('list')
    .description('events, newest first')
    .option('--type <type>', 'exact type, prefix.* or *')
    .option('--status <status>', 'queued, accepted, delivered, failed or dead')
    .option('--from <time>', 'received at or after (ISO 8601)')
    .option('--to <time>', 'received before (ISO 8601)')
    .option('--limit <n>', 'events per page (1-1000)', parsePositiveInt)
    .option('--cursor <cursor>', 'next_cursor of the previous page')
    .action(async (opts: ListOptions) => {
      ctx.print(await ctx.organization().request('GET', `/api/events${queryString({ ...opts })}`));
    });
  events
    .command('get <id>')
    .description('an event, its status, and its deliveries with their attempts')
    .action(async (id: string) =>
      ctx.print(await ctx.organization().request('GET', `/api/events/${segment(id)}`)),
    );

  program
    .command('inbox')
    .description('unacknowledged events, oldest first (acknowledge them with `ack`)')
    .option('--type <type>', 'exact type, prefix.* or *')
    .option('--limit <n>', 'events per page (1-1000)', parsePositiveInt)
    .option('--cursor <cursor>', 'next_cursor of the previous call')
    .action(async (opts: Pick<ListOptions, 'type' | 'limit' | 'cursor'>) => {
      ctx.print(await ctx.organization().request('GET', `/api/inbox${queryString({ ...opts })}`));
    });

  program
    .command('ack <ids...>')
    .description('acknowledge events (up to 1,000 ids); idempotent')
    .action(async (ids: string[]) =>
      ctx.print(await ctx.organization().request('POST', '/api/inbox/ack', { ids })),
    );
}
