import { sinkOutage } from './sink-outage.js';

/** The receiver answers 500 to everything: retries with backoff, the circuit breaker opens. */
export const sinkServerError = (durationMs: number) => sinkOutage('error', 'sink answers 500', durationMs);
