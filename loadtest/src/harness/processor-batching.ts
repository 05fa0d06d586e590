import { processorConfig } from '@triggers/processor/config';
import { tuningFromEnv } from './service-process.js';

/** How the processor batches its work, as the processor started by the bench would. */
export interface ProcessorBatching {
  /** `BATCH_SIZE`: queue rows per transaction, hence jobs per addBulk call. */
  batchSize: number;
  /** `BATCH_CONCURRENCY`: batch transactions at once. */
  concurrency: number;
  /** `MAX_INFLIGHT_HANDOFFS`: addBulk calls each loop leaves running while it processes the next batch. */
  inFlight: number;
}

/**
 * The processor's batching (its config contract's defaults, unless the bench's environment sets
 * them), so that the ceilings of processing work in the same batches.
 */
export function processorBatching(env: Record<string, string | undefined> = process.env): ProcessorBatching {
  const tuning = tuningFromEnv('processor', env);
  return {
    batchSize: processorConfig.setting('BATCH_SIZE', tuning),
    concurrency: processorConfig.setting('BATCH_CONCURRENCY', tuning),
    inFlight: processorConfig.setting('MAX_INFLIGHT_HANDOFFS', tuning),
  };
}
