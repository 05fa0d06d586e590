import type { Command } from 'commander';
import type { CliContext } from '../cli-context.js';

/** `org create`, `key create`, `key list`, `key revoke`: the admin API, with the ADMIN_TOKEN. */
export function registerAdminCommands(program: Command, ctx: CliContext): void {
  const org = program.command('org').description('organizations (admin token)');
  org
    .command('create')
    .requiredOption('--name <name>', 'organization name')
    .option('--rate-limit <perSecond>', 'events per second for this organization', parsePositiveInt)
    .action(async (opts: { name: string; rateLimit?: number }) => {
      ctx.print(
        await ctx.admin().request('POST', '/admin/organizations', {
          name: opts.name,
          ...(opts.rateLimit ? { rate_limit_per_second: opts.rateLimit } : {}),
        }),
      );
    });
  org
    .command('update <id>')
    .description('change an organization')
    .option('--name <name>', 'organization name')
    .option('--rate-limit <perSecond>', 'events per second for this organization', parsePositiveInt)
    .option('--strict-event-types <on>', 'refuse events of unregistered types: true or false', parseBoolean)
    .action(async (id: string, opts: { name?: string; rateLimit?: number; strictEventTypes?: boolean }) => {
      ctx.print(
        await ctx.admin().request('PATCH', `/admin/organizations/${encodeURIComponent(id)}`, {
          ...(opts.name !== undefined && { name: opts.name }),
          ...(opts.rateLimit !== undefined && { rate_limit_per_second: opts.rateLimit }),
          ...(opts.strictEventTypes !== undefined && { strict_event_types: opts.strictEventTypes }),
        }),
      );
    });
  org
    .command('get <id>')
    .action(async (id: string) =>
      ctx.print(await ctx.admin().request('GET', `/admin/organizations/${encodeURIComponent(id)}`)),
    );

  const key = program.command('key').description('API keys (admin token)');
  key
    .command('create')
    .requiredOption('--org <id>', 'organization id')
    .option('--name <name>', 'a label for the key')
    .action(async (opts: { org: string; name?: string }) => {
      ctx.print(
        await ctx
          .admin()
          .request(
            'POST',
            `/admin/organizations/${encodeURIComponent(opts.org)}/api-keys`,
            opts.name ? { name: opts.name } : {},
          ),
      );
    });
  key
    .command('list')
    .requiredOption('--org <id>', 'organization id')
    .action(async (opts: { org: string }) =>
      ctx.print(
        await ctx.admin().request('GET', `/admin/organizations/${encodeURIComponent(opts.org)}/api-keys`),
      ),
    );
  key
    .command('revoke <id>')
    .action(async (id: string) =>
      ctx.print(await ctx.admin().request('POST', `/admin/api-keys/${encodeURIComponent(id)}/revoke`)),
    );
}

export function parsePositiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new Error(`expected a positive integer, got "${value}"`);
  return n;
}

export function parseBoolean(value: string): boolean {
  if (value === 'true') return true;
  if (value === 'false') return false;
  throw new Error(`expected true or false, got "${value}"`);
}
