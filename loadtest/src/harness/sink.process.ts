import { startChild, type Child } from './child-process.js';
import { LOADTEST_DIR, loadtestPath } from './paths.js';
import type { SinkCounts } from '../sinks/receipts.js';

/** The counting sink (src/sinks/counting-sink.server.ts) in its own process. */
export interface CountingSink {
  origin: string;
  child: Child;
  stats: () => Promise<SinkCounts>;
  /** Event id → first receipt (wall clock ms). */
  receipts: () => Promise<Map<string, number>>;
  stop: () => Promise<void>;
}

export async function startCountingSink(): Promise<CountingSink> {
  const child = startChild({
    name: 'sink',
    script: loadtestPath('src/sinks/counting-sink.server.ts'),
    cwd: LOADTEST_DIR,
    env: { PORT: '0' },
  });
  let port: number;
  try {
    ({ port } = await child.firstMessage<{ port: number }>(15_000));
  } catch (error) {
    await child.stop();
    throw error;
  }
  const origin = `http://127.0.0.1:${port}`;
  const get = async <T>(path: string): Promise<T> => {
    const response = await fetch(`${origin}${path}`, { signal: AbortSignal.timeout(30_000) });
    if (response.status !== 200) throw new Error(`sink GET ${path} answered ${response.status}`);
    return (await response.json()) as T;
  };
  return {
    origin,
    child,
    stats: () => get<SinkCounts>('/stats'),
    receipts: async () => new Map((await get<{ receipts: [string, number][] }>('/receipts')).receipts),
    stop: () => child.stop(),
  };
}
