import type { Command } from 'commander';
import type { CliContext } from '../cli-context.js';
import { parsePositiveInt } from './admin.commands.js';
import { queryString, segment } from './query-string.js';

/** `deliveries list|get` and `replay` (organization API key). */
export function registerDeliveryCommands(program: Command, ctx: CliContext): void {
  const deliveries = program.command('deliveries').description('the delivery log and the DLQ (API key)');
  deliveries
    .command('list')
    .description('deliveries, newest first; --status dead lists the DLQ')
    .option('--status <status>', 'pending, failed, delivered or dead')
    .option('--endpoint <id>', 'only to this endpoint')
    .option('--event <id>', 'only of this event')
    .option('--from <time>', 'created at or after (ISO 8601)')
    .option('--to <time>', 'created before (ISO 8601)')
    .option('--limit <n>', 'deliveries per page (1-1000)', parsePositiveInt)
    .option('--cursor <cursor>', 'next_cursor of the previous page')
    .action(
      async (opts: {
        status?: string;
        endpoint?: string;
        event?: string;
        from?: string;
        to?: string;
        limit?: number;
        cursor?: string;
      }) => {
        const query = queryString({
          status: opts.status,
          endpoint_id: opts.endpoint,
          event_id: opts.event,
          from: opts.from,
          to: opts.to,
          limit: opts.limit,
          cursor: opts.cursor,
        });
        ctx.print(await ctx.organization().request('GET', `/api/deliveries${query}`));
      },
    );
  deliveries
    .command('get <id>')
    .description('a delivery with every attempt')
    .action(async (id: string) =>
      ctx.print(await ctx.organization().request('GET', `/api/deliveries/${segment(id)}`)),
    );

  program
    .command('replay [id]')
    .description('replay one delivery, or (without an id) every finished delivery matching the filter')
    .option('--status <status>', 'dead (default) or delivered', 'dead')
    .option('--endpoint <id>', 'only to this endpoint')
    .option('--from <time>', 'created at or after (ISO 8601)')
    .option('--to <time>', 'created before (ISO 8601)')
    .option('--dry-run', 'only count what would be replayed')
    .action(
      async (
        id: string | undefined,
        opts: { status: string; endpoint?: string; from?: string; to?: string; dryRun?: boolean },
      ) => {
        const client = ctx.organization();
        if (id !== undefined) {
          ctx.print(await client.request('POST', `/api/deliveries/${segment(id)}/replay`));
          return;
        }
        const filter = {
          status: opts.status,
          ...(opts.endpoint !== undefined && { endpoint_id: opts.endpoint }),
          ...(opts.from !== undefined && { from: opts.from }),
          ...(opts.to !== undefined && { to: opts.to }),
        };
        if (opts.dryRun) {
          const { count } = (await client.request('POST', '/api/deliveries/replay', {
            ...filter,
            dry_run: true,
          })) as { count: number };
          ctx.print({ dry_run: true, count });
          return;
        }
        // The API replays one chunk per call: follow its cursor to the end.
        let count = 0;
        let cursor: string | null = null;
        do {
          const chunk = (await client.request('POST', '/api/deliveries/replay', {
            ...filter,
            ...(cursor !== null && { cursor }),
          })) as { count: number; next_cursor: string | null };
          count += chunk.count;
          cursor = chunk.next_cursor;
        } while (cursor !== null);
        ctx.print({ dry_run: false, count });
      },
    );
}
