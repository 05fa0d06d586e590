import { randomUUID } from 'node:crypto';
import { Worker } from 'bullmq';
import { DELIVERY_QUEUE_NAME, bullPrefix, createDeliveryQueue, deliveryJobs } from '@triggers/delivery-queue';
import { waitUntil } from './wait.js';

export interface QueueCeiling {
  jobs: number;
  seconds: number;
  perSecond: number;
}

/** Jobs of the delivery jobs' exact shape (four uuids, the delivery id as job id). */
export function fakeDeliveryJobs(count: number): ReturnType<typeof deliveryJobs> {
  const organizationId = randomUUID();
  const endpointId = randomUUID();
  return deliveryJobs(
    Array.from({ length: count }, () => ({
      id: randomUUID(),
      eventId: randomUUID(),
      endpointId,
      organizationId,
    })),
  );
}

/**
 * The most the processor's hand-off could do: `count` delivery jobs added to an empty queue with
 * addBulk, `chunkSize` per call (the processor's batch size), `inFlight` calls at once (its
 * MAX_INFLIGHT_HANDOFFS). Jobs are built before the clock starts, as the processor has them ready.
 */
export async function measureAddBulk(options: {
  redisUrl: string;
  redisKeyPrefix: string;
  count: number;
  chunkSize: number;
  inFlight: number;
}): Promise<QueueCeiling> {
  const queue = createDeliveryQueue({ url: options.redisUrl }, options.redisKeyPrefix);
  try {
    await queue.waitUntilReady();
    const jobs = fakeDeliveryJobs(options.count);
    const chunks: (typeof jobs)[] = [];
    for (let start = 0; start < jobs.length; start += options.chunkSize) {
      chunks.push(jobs.slice(start, start + options.chunkSize));
    }
    const began = performance.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: options.inFlight }, async () => {
        while (next < chunks.length) await queue.addBulk(chunks[next++]!);
      }),
    );
    const seconds = (performance.now() - began) / 1000;
    const waiting = await queue.getWaitingCount();
    if (waiting !== options.count)
      throw new Error(`addBulk ceiling: ${waiting} jobs waiting, expected ${options.count}`);
    return { jobs: options.count, seconds, perSecond: options.count / seconds };
  } finally {
    await queue.obliterate({ force: true }).catch(() => undefined);
    await queue.close();
  }
}

/**
 * The most a deliverer could do: a BullMQ Worker whose processor does nothing, with the
 * deliverer's concurrency, over `count` jobs added beforehand to a paused queue; the clock starts
 * when the queue is resumed and stops when the last job completed.
 */
export async function measureNoopWorker(options: {
  redisUrl: string;
  redisKeyPrefix: string;
  count: number;
  concurrency: number;
}): Promise<QueueCeiling> {
  const queue = createDeliveryQueue({ url: options.redisUrl }, options.redisKeyPrefix);
  let worker: Worker | undefined;
  try {
    await queue.pause();
    const jobs = fakeDeliveryJobs(options.count);
    for (let start = 0; start < jobs.length; start += 1000)
      await queue.addBulk(jobs.slice(start, start + 1000));
    let completed = 0;
    worker = new Worker(DELIVERY_QUEUE_NAME, async () => undefined, {
      connection: { url: options.redisUrl, maxRetriesPerRequest: null },
      prefix: bullPrefix(options.redisKeyPrefix),
      concurrency: options.concurrency,
      autorun: false,
    });
    worker.on('completed', () => {
      completed += 1;
    });
    // run() settles when the worker closes; a failure shows as the wait below timing out.
    worker.run().catch(() => undefined);
    await worker.waitUntilReady();
    const began = performance.now();
    await queue.resume();
    const ended = await waitUntil(() => completed >= options.count, {
      timeoutMs: 120_000,
      intervalMs: 5,
      what: `no-op worker over ${options.count} jobs`,
    });
    const seconds = (ended - began) / 1000;
    return { jobs: options.count, seconds, perSecond: options.count / seconds };
  } finally {
    await worker?.close();
    await queue.obliterate({ force: true }).catch(() => undefined);
    await queue.close();
  }
}
