import { Command, CommanderError } from 'commander';
import { registerAdminCommands } from './commands/admin.commands.js';
import { registerDeliveryCommands } from './commands/deliveries.commands.js';
import { registerEndpointCommands } from './commands/endpoints.commands.js';
import { registerEventTypeCommands } from './commands/event-types.commands.js';
import { registerEventCommands } from './commands/events.commands.js';
import { CliContext, type CliSettings } from './cli-context.js';

export interface CliIo {
  out: (text: string) => void;
  err: (text: string) => void;
}

/** Runs one CLI invocation; returns the exit code. Pure of process state, so tests call it directly. */
export async function runCli(argv: string[], settings: CliSettings, io: CliIo): Promise<number> {
  const program = new Command('triggers')
    .description('Triggers command line: organizations, API keys and more, through the HTTP API')
    .exitOverride()
    .configureOutput({ writeOut: io.out, writeErr: io.err });
  const ctx = new CliContext(settings, (value) => io.out(`${JSON.stringify(value, null, 2)}\n`));
  registerAdminCommands(program, ctx);
  registerEventCommands(program, ctx);
  registerEndpointCommands(program, ctx);
  registerEventTypeCommands(program, ctx);
  registerDeliveryCommands(program, ctx);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return 0;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode;
    io.err(`error: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  }
}
