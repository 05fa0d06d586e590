import { sleep } from '../sleep.js';
import type { Fault } from './fault.js';

/**
 * Stops Redis for `downMs`, then starts it again on the same port and data folder (it reloads its
 * append-only file). Meanwhile the processor cannot hand jobs over and the deliverer cannot take
 * any; the ingest API must keep accepting (rate limits fall back to memory).
 */
export function stopRedis(downMs: number): Fault {
  return {
    name: `Redis stopped ${downMs / 1000} s`,
    run: async ({ cluster, say }) => {
      const start = Date.now();
      await cluster.redis.stop();
      say(`  Redis stopped for ${downMs / 1000} s`);
      await sleep(downMs);
      await cluster.redis.start();
      say('  Redis answering again');
      return [{ start, end: Date.now(), what: 'Redis stopped' }];
    },
  };
}
