import type { ChaosMode } from '../options.js';
import type { Fault } from './fault.js';
import { killService } from './kill-service.js';
import { noFault } from './no-fault.js';
import { poisonNeighbour } from './poison-neighbour.js';
import { restartPostgres } from './restart-postgres.js';
import { sinkServerError } from './sink-500.js';
import { sinkThrottle } from './sink-429.js';
import { sinkCutMidResponse } from './sink-cut.js';
import { sinkHang } from './sink-hang.js';
import { stopRedis } from './stop-redis.js';

/** The rounds of a run, in order: one fault each. */
export function roundsFor(mode: ChaosMode): Fault[] {
  if (mode === 'short') {
    return [
      killService('deliverer', 1, [0, 0]),
      killService('processor', 1, [0, 0]),
      killService('ingest-api', 1, [0, 0]),
      restartPostgres('crash', 2000),
      stopRedis(10_000),
      sinkServerError(3000),
      sinkCutMidResponse(3000),
      poisonNeighbour(4000),
    ];
  }
  const gap: [number, number] = [1500, 4000];
  return [
    noFault(),
    killService('ingest-api', 2, gap),
    killService('processor', 2, gap),
    killService('deliverer', 2, gap),
    restartPostgres('restart', 4000),
    restartPostgres('crash', 4000),
    stopRedis(30_000),
    sinkHang(8000),
    sinkServerError(8000),
    sinkThrottle(8000),
    sinkCutMidResponse(8000),
    killService(undefined, 3, gap),
    poisonNeighbour(10_000),
  ];
}
