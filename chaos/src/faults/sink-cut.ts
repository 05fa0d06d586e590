import { sinkOutage } from './sink-outage.js';

/**
 * The receiver processes each webhook and starts a 200, then the connection closes mid-response:
 * the sender must retry, and the receiver sees the same webhook-id again (a bounded duplicate).
 */
export const sinkCutMidResponse = (durationMs: number) =>
  sinkOutage('cut', 'sink closes connections mid-response', durationMs);
