import { sinkOutage } from './sink-outage.js';

/** The receiver accepts connections and requests but never answers: every attempt times out. */
export const sinkHang = (durationMs: number) => sinkOutage('hang', 'sink hangs', durationMs);
