import type { SinkMode } from '../sink/sink-server.js';
import { sleep } from '../sleep.js';
import type { Fault } from './fault.js';

/** The webhook receiver misbehaves in `mode` for `durationMs`, then comes back healthy. */
export function sinkOutage(mode: Exclude<SinkMode, 'ok'>, name: string, durationMs: number): Fault {
  return {
    name: `${name} ${durationMs / 1000} s`,
    run: async ({ sink, say }) => {
      const start = Date.now();
      await sink.setMode(mode);
      say(`  sink: ${name}`);
      await sleep(durationMs);
      await sink.setMode('ok');
      say('  sink: healthy again');
      return [{ start, end: Date.now(), what: `sink ${mode}` }];
    },
  };
}
