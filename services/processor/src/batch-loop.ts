import { completeHandoff, processQueuedBatch, type ProcessedBatch, type Sql } from '@triggers/db';
import { handOffDeliveries, type DeliveryQueue } from '@triggers/delivery-queue';
import type { Logger } from '@triggers/runtime';
import type { ProcessorMetrics } from './metrics.js';

export interface BatchLoopOptions {
  batchSize: number;
  /** After a NOTIFY, how long events may gather before the claim. */
  gatherMs: number;
  /** Deliveries to one endpoint per BullMQ job (see deliveryBatchJobs). */
  deliveriesPerJob: number;
  idleMinMs: number;
  idleMaxMs: number;
  maxInflightHandoffs: number;
}

/**
 * The processor's main loop: process a batch (one transaction), hand its deliveries to BullMQ
 * while the next batch is processed, and repeat. It claims again at once after a full batch.
 * Otherwise it waits for `wake()` (called on NOTIFY), then lets events gather for `gatherMs`
 * before it claims them: at a few hundred events a second, one claim, one commit and one BullMQ
 * job then carry several events instead of one each. NOTIFY announces every commit, so polling is
 * only a safety net (a lost notification): its wait doubles with each idle wait up to `idleMaxMs`, starting again
 * from `idleMinMs` only after a full batch.
 */
export class BatchLoop {
  private running = false;
  private stopped: Promise<void> | undefined;
  private wakeUp: (() => void) | undefined;
  private woken = false;
  private phase: 'idle' | 'gathering' | 'busy' = 'busy';
  private readonly handoffs = new Set<Promise<void>>();

  constructor(
    private readonly sql: Sql,
    private readonly queue: DeliveryQueue,
    private readonly options: BatchLoopOptions,
    private readonly metrics: ProcessorMetrics,
    private readonly log: Logger,
  ) {}

  start(): void {
    this.running = true;
    this.stopped = this.run();
  }

  /** Ends an idle wait: new events were committed. */
  wake(): void {
    this.woken = true;
    this.wakeUp?.();
  }

  /** Finishes the batch in flight and its hand-off, then resolves. */
  async stop(): Promise<void> {
    this.running = false;
    this.wakeUp?.();
    await this.stopped;
  }

  /** Waiting for a NOTIFY or a poll: a wake-up would start a claim. */
  get idle(): boolean {
    return this.phase === 'idle';
  }

  /** Letting events gather before a claim: another NOTIFY adds nothing. */
  get gathering(): boolean {
    return this.phase === 'gathering';
  }

  private async run(): Promise<void> {
    let idleMs = this.options.idleMinMs;
    while (this.running) {
      this.woken = false;
      this.phase = 'busy';
      const batch = await this.processOne();
      if (batch === undefined) {
        await this.sleep(this.options.idleMaxMs, 'idle'); // Postgres failing: do not spin
        continue;
      }
      if (batch.deliveries.length > 0) await this.handOff(batch);
      if (batch.claimed >= this.options.batchSize) {
        idleMs = this.options.idleMinMs;
        continue;
      }
      // A NOTIFY that arrived while this batch ran means rows may be waiting already.
      if (!this.woken) {
        await this.sleep(idleMs, 'idle');
        idleMs = Math.min(idleMs * 2, this.options.idleMaxMs);
      }
      if (this.woken && this.running && this.options.gatherMs > 0) {
        this.woken = false;
        await this.sleep(this.options.gatherMs, 'gathering');
      }
    }
    await Promise.all(this.handoffs);
  }

  private async processOne(): Promise<ProcessedBatch | undefined> {
    const end = this.metrics.batchDuration.startTimer();
    try {
      const batch = await processQueuedBatch(this.sql, this.options.batchSize);
      end();
      this.metrics.batchSize.observe(batch.claimed);
      this.metrics.eventsProcessed.inc(batch.persisted);
      this.metrics.eventsDeduplicated.inc(batch.claimed - batch.persisted);
      this.metrics.deliveriesCreated.inc(batch.deliveries.length);
      if (batch.claimed > 0)
        this.log.debug({ claimed: batch.claimed, deliveries: batch.deliveries.length }, 'batch processed');
      return batch;
    } catch (err) {
      this.metrics.batchFailures.inc();
      this.log.error({ err }, 'processing batch failed; its events stay queued');
      return undefined;
    }
  }

  /**
   * Adds the batch's jobs without waiting for them, so Postgres and Redis work in parallel; waits
   * only when `maxInflightHandoffs` are already out. A failure leaves the hand-off row for the sweeper.
   */
  private async handOff(batch: ProcessedBatch): Promise<void> {
    if (this.handoffs.size >= this.options.maxInflightHandoffs) await Promise.race(this.handoffs);
    const handoff = handOffDeliveries(this.queue, batch.deliveries, { perJob: this.options.deliveriesPerJob })
      .then(async () => {
        this.metrics.jobsEnqueued.inc(batch.deliveries.length);
        if (batch.handoffId !== null) await completeHandoff(this.sql, batch.handoffId);
      })
      .catch((err: unknown) => {
        this.metrics.handoffFailures.inc();
        this.log.warn(
          { err, handoffId: batch.handoffId, deliveries: batch.deliveries.length },
          'hand-off to BullMQ failed; the sweeper will re-add it',
        );
      })
      .finally(() => this.handoffs.delete(handoff));
    this.handoffs.add(handoff);
  }

  /** Waits `ms`; a wake-up ends an idle wait early, and stop() ends any. */
  private sleep(ms: number, phase: 'idle' | 'gathering'): Promise<void> {
    this.phase = phase;
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wakeUp = () => {
        if (this.phase === 'gathering' && this.running) return;
        this.wakeUp = undefined;
        done();
      };
    });
  }
}
