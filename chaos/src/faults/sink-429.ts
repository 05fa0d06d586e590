import { THROTTLE_RETRY_AFTER_SECONDS } from '../sink/sink-server.js';
import { sinkOutage } from './sink-outage.js';

/** The receiver answers 429 with Retry-After: the deliverer must wait as told. */
export const sinkThrottle = (durationMs: number) =>
  sinkOutage('throttle', `sink answers 429 (Retry-After ${THROTTLE_RETRY_AFTER_SECONDS} s)`, durationMs);
