import { sleep } from '../sleep.js';
import type { Fault } from './fault.js';

/**
 * Takes Postgres away for `downMs` and brings it back: `restart` is a fast shutdown (clients
 * disconnected, checkpoint), `crash` SIGKILLs the postmaster and its backends, so the restart runs
 * crash recovery from the WAL. Every service must reconnect by itself.
 */
export function restartPostgres(how: 'restart' | 'crash', downMs: number): Fault {
  return {
    name:
      how === 'restart'
        ? `Postgres restart (${downMs / 1000} s down)`
        : `Postgres crash (SIGKILL, ${downMs / 1000} s down)`,
    run: async ({ cluster, say }) => {
      const start = Date.now();
      if (how === 'restart') await cluster.postgres.stop();
      else await cluster.postgres.kill();
      say(`  Postgres ${how === 'restart' ? 'stopped' : 'killed'}`);
      await sleep(downMs);
      await cluster.postgres.start();
      say('  Postgres accepting connections again');
      return [{ start, end: Date.now(), what: `Postgres ${how}` }];
    },
  };
}
