export { runCli, type CliIo } from './cli.js';
export type { CliSettings } from './cli-context.js';
export { ApiRequestError, TriggersClient } from './client.js';
