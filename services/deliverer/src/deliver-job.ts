import { DelayedError, UnrecoverableError, type Job } from 'bullmq';
import type { Dispatcher } from 'undici';
import {
  disableEndpoint,
  isRefusedRowError,
  isUuid,
  markDeliveryDead,
  type AttemptRecord,
  type DeliveryToSend,
  type Sql,
} from '@triggers/db';
import type { CircuitBreaker } from '@triggers/circuit-breaker';
import type { DeliveryJobData, DeliveryQueue } from '@triggers/delivery-queue';
import type { GroupCommitter, Logger } from '@triggers/runtime';
import type { Config } from './config.js';
import type { DeliveryBudget } from './delivery-budget.js';
import type { EndpointSlots } from './endpoint-slots.js';
import type { DelivererMetrics } from './metrics.js';
import { countsAgainstEndpoint, decideAfterAttempt, isSuccess } from './retry-policy.js';
import { sendWebhook, type SendResult } from './send-webhook.js';
import { buildWebhookRequest } from './webhook-request.js';

export interface DeliverJobDeps {
  sql: Sql;
  /** Deliveries held and sending turns, shared by all jobs of the process. */
  budget: DeliveryBudget;
  /** For batches: a delivery that goes on later does so in a job of its own. */
  queue: DeliveryQueue;
  /** Batched reads: many jobs' deliveries in one query; an id Postgres refuses fails only its job. */
  loader: GroupCommitter<string, Map<string, DeliveryToSend>>;
  /** Batched writes: many attempts in one statement; a record Postgres refuses fails only its job. */
  recorder: GroupCommitter<AttemptRecord, void>;
  dispatcher: Dispatcher;
  breaker: CircuitBreaker;
  slots: EndpointSlots;
  metrics: DelivererMetrics;
  config: Config;
  log: Logger;
}

/** How a delivery's turn ended, for logs and tests. */
export type JobResult = 'delivered' | 'retry' | 'dead' | 'gone' | 'skipped' | 'deferred';

/** Why a delivery goes on later, in a job of its own or as the same job delayed. */
export type LaterReason = 'retry' | 'circuit_open' | 'endpoint_busy';

/**
 * Puts a delivery back in line for `at` (epoch ms): the single job moves itself to delayed and
 * throws BullMQ's DelayedError; a batch adds the delivery's own job, delayed.
 */
export type Later = (delivery: DeliveryToSend, at: number, reason: LaterReason) => Promise<JobResult>;

/**
 * Processes one delivery job (one delivery's run): one attempt, recorded, then delivered, scheduled
 * again (the same job, delayed: the `webhook-id` stays the same) or dead. An open circuit or a busy
 * endpoint postpones the job without spending an attempt. Infrastructure failures (Postgres, Redis)
 * throw, and BullMQ retries the job later.
 */
export async function deliverJob(
  deps: DeliverJobDeps,
  job: Job<DeliveryJobData>,
  token: string | undefined,
): Promise<JobResult> {
  const delivery = await loadDelivery(deps, job.data.deliveryId);
  const unsendable = whyNotSend(delivery, job.data.replays ?? 0);
  if (unsendable) return unsendable;
  return deliverOne(deps, delivery!, async (_, at, reason) => {
    if (reason !== 'retry') deps.metrics.circuitDeferrals.inc({ reason });
    await job.moveToDelayed(at, token);
    throw new DelayedError();
  });
}

/** 'gone' or 'skipped' when a job of run `replays` has nothing to send; undefined when it has. */
export function whyNotSend(delivery: DeliveryToSend | undefined, replays: number): JobResult | undefined {
  // Removed by retention, or its endpoint deleted: nothing left to deliver.
  if (!delivery) return 'gone';
  // A job of an earlier run, replayed since (see deliveryJobId): only the current run's job sends.
  if (replays !== delivery.replays) return 'skipped';
  // A duplicate job (a sweeper or reconciler re-add) for a delivery that is already settled.
  if (delivery.status === 'delivered' || delivery.status === 'dead') return 'skipped';
  return undefined;
}

/**
 * One attempt of a loaded delivery that is due: sent, recorded, and delivered, dead, or put back in
 * line by `later` (a retry, an open circuit, an endpoint that frees no slot).
 */
export async function deliverOne(
  deps: DeliverJobDeps,
  delivery: DeliveryToSend,
  later: Later,
): Promise<JobResult> {
  if (!delivery.endpoint.enabled) return settleDisabled(deps, delivery);
  if (deps.config.http.disabled) return settleWithoutSending(deps, delivery);

  // Waiting in its endpoint's line takes no sending turn: a line that moves slowly keeps none of
  // the turns other endpoints could use.
  const endpointId = delivery.endpoint.id;
  if (!(await deps.slots.acquire(endpointId)))
    return later(delivery, Date.now() + 250 + jitter(500), 'endpoint_busy');
  let slotHeld = true;
  const releaseSlot = () => {
    if (slotHeld) deps.slots.release(endpointId);
    slotHeld = false;
  };
  // The turn lasts until the attempt's consequences are recorded (its circuit, a 410): the
  // deliveries behind it then see them, as jobs behind a job did when each delivery had its own.
  let endTurn: (() => void) | undefined;
  try {
    endTurn = await deps.budget.turn();
    return await attemptOne(deps, delivery, later, releaseSlot);
  } finally {
    releaseSlot();
    endTurn?.();
  }
}

async function attemptOne(
  deps: DeliverJobDeps,
  delivery: DeliveryToSend,
  later: Later,
  releaseSlot: () => void,
): Promise<JobResult> {
  const endpointId = delivery.endpoint.id;
  // An endpoint a delivery of the same batch disabled while this one waited for its turn.
  if (!delivery.endpoint.enabled) return settleDisabled(deps, delivery);
  const circuit = await deps.breaker.check(endpointId);
  if (!circuit.allowed) return later(delivery, circuit.retryAt + jitter(1000), 'circuit_open');
  let result: SendResult;
  try {
    result = await sendWebhook(deps.dispatcher, buildWebhookRequest(delivery, deps.config.http.timeoutMs), {
      allowPrivateTargets: deps.config.http.allowPrivateTargets,
      responseBodyMaxBytes: deps.config.http.responseBodyMaxBytes,
    });
  } finally {
    releaseSlot();
  }
  deps.metrics.attemptDuration.observe({ result: resultClass(result) }, result.durationMs / 1000);

  const attempt = delivery.attempts + 1;
  const maxAttempts = delivery.endpoint.maxAttempts ?? deps.config.retry.maxAttempts;
  const decision = decideAfterAttempt(result.outcome, attempt, maxAttempts, deps.config.retry);
  const retryAt = decision.action === 'retry' ? new Date(Date.now() + decision.delayMs) : null;
  const status =
    decision.action === 'delivered' ? 'delivered' : decision.action === 'retry' ? 'failed' : 'dead';
  const recorded = await recordAttempt(deps, {
    deliveryId: delivery.id,
    organizationId: delivery.organizationId,
    attempt,
    replays: delivery.replays,
    statusCode: result.statusCode,
    durationMs: result.durationMs,
    errorKind: result.errorKind,
    error: result.error,
    responseBody: result.responseBody,
    status,
    nextAttemptAt: retryAt,
  });
  if (!recorded) return 'dead';
  await updateEndpointHealth(deps, delivery, result, circuit.probe);

  switch (decision.action) {
    case 'delivered':
      deps.metrics.deliveries.inc({ outcome: 'delivered' });
      deps.metrics.endToEnd.observe((Date.now() - delivery.event.receivedAt.getTime()) / 1000);
      return 'delivered';
    case 'disable_endpoint':
      deps.metrics.deliveries.inc({ outcome: 'dead' });
      delivery.endpoint.enabled = false;
      if (await disableEndpoint(deps.sql, endpointId, 'the receiver answered 410 Gone')) {
        deps.metrics.endpointsDisabled.inc({ reason: 'gone' });
        deps.log.warn({ endpointId }, 'endpoint disabled: 410 Gone');
      }
      return 'dead';
    case 'dead':
      deps.metrics.deliveries.inc({ outcome: 'dead' });
      return 'dead';
    case 'retry':
      deps.metrics.deliveries.inc({ outcome: 'retry' });
      deps.metrics.retries.inc();
      return later(delivery, retryAt!.getTime(), 'retry');
  }
}

/**
 * The job's delivery; undefined when there is none. A job whose id cannot name a delivery (not a
 * uuid: a damaged or foreign job) is found here, before it joins a batched load, and is treated as
 * gone: there is nothing to send, and the job completes. An id Postgres refuses anyway fails this
 * job alone (the loader isolates it), for good: the same read would be refused again, and nothing
 * was sent.
 */
async function loadDelivery(deps: DeliverJobDeps, id: unknown): Promise<DeliveryToSend | undefined> {
  if (typeof id !== 'string' || !isUuid(id)) {
    deps.log.warn({ deliveryId: id }, 'job without a delivery id: dropped');
    return undefined;
  }
  try {
    return (await deps.loader.submit([id])).get(id);
  } catch (err) {
    if (isRefusedRowError(err)) throw new UnrecoverableError('the delivery could not be read');
    throw err;
  }
}

/**
 * Records an attempt whose webhook was sent; false when it could not be recorded, and the delivery
 * was then settled as dead. An attempt that is not recorded would be sent again (BullMQ retries the
 * job, the reconciler finds the delivery stalled), so the decision is never "retry": a record that
 * Postgres refuses although its texts were made storable fails alone (the recorder isolates it) and
 * is recorded again without its texts; the status code, duration and outcome are what the retry
 * policy and the history need. Only if even that is refused is the delivery marked dead, with a
 * reason of our own, so that it is not sent again and again.
 */
async function recordAttempt(deps: DeliverJobDeps, record: AttemptRecord): Promise<boolean> {
  try {
    await deps.recorder.submit([record]);
    return true;
  } catch (err) {
    if (!isRefusedRowError(err)) throw err;
    deps.log.warn(
      { deliveryId: record.deliveryId, err },
      'attempt refused by the database: recorded without its texts',
    );
  }
  try {
    await deps.recorder.submit([
      {
        ...record,
        error: record.error === null ? null : 'the error could not be stored',
        responseBody: null,
      },
    ]);
    return true;
  } catch (err) {
    if (!isRefusedRowError(err)) throw err;
    deps.log.error(
      { deliveryId: record.deliveryId, err },
      'attempt refused by the database: delivery marked dead',
    );
  }
  await markDeliveryDead(deps.sql, record.deliveryId, 'its attempt could not be recorded');
  deps.metrics.deliveries.inc({ outcome: 'dead' });
  return false;
}

/** A delivery to a disabled endpoint: dead, unsent. */
async function settleDisabled(deps: DeliverJobDeps, delivery: DeliveryToSend): Promise<JobResult> {
  await markDeliveryDead(deps.sql, delivery.id, 'endpoint disabled');
  deps.metrics.deliveries.inc({ outcome: 'disabled' });
  return 'dead';
}

/** DISABLE_WEBHOOK_DELIVERY: the same bookkeeping as a 2xx, without the request. */
async function settleWithoutSending(deps: DeliverJobDeps, delivery: DeliveryToSend): Promise<JobResult> {
  const recorded = await recordAttempt(deps, {
    deliveryId: delivery.id,
    organizationId: delivery.organizationId,
    attempt: delivery.attempts + 1,
    replays: delivery.replays,
    statusCode: null,
    durationMs: 0,
    errorKind: null,
    error: null,
    responseBody: 'not sent: DISABLE_WEBHOOK_DELIVERY',
    status: 'delivered',
    nextAttemptAt: null,
  });
  if (!recorded) return 'dead';
  deps.metrics.deliveries.inc({ outcome: 'delivered' });
  deps.metrics.endToEnd.observe((Date.now() - delivery.event.receivedAt.getTime()) / 1000);
  return 'delivered';
}

/** Feeds the circuit breaker; an endpoint that has failed without a success for too long is disabled. */
async function updateEndpointHealth(
  deps: DeliverJobDeps,
  delivery: DeliveryToSend,
  result: SendResult,
  probe: boolean,
): Promise<void> {
  const endpointId = delivery.endpoint.id;
  if (isSuccess(result.outcome)) {
    await deps.breaker.recordSuccess(endpointId);
    return;
  }
  if (!countsAgainstEndpoint(result.outcome)) return;
  const failures = await deps.breaker.recordFailure(endpointId, probe);
  if (probe || failures === deps.config.circuit.failureThreshold) deps.metrics.circuitOpened.inc();
  const { failingSince } = await deps.breaker.read(endpointId);
  if (failingSince && Date.now() - failingSince.getTime() > deps.config.circuit.disableAfterMs) {
    const reason = `failing without a success since ${failingSince.toISOString()}`;
    delivery.endpoint.enabled = false;
    if (await disableEndpoint(deps.sql, endpointId, reason)) {
      deps.metrics.endpointsDisabled.inc({ reason: 'failing' });
      deps.log.warn({ endpointId, failingSince }, 'endpoint disabled: failing too long');
    }
  }
}

function jitter(maxMs: number): number {
  return Math.floor(Math.random() * maxMs);
}

function resultClass(result: SendResult): string {
  if (result.statusCode !== null) return `${Math.floor(result.statusCode / 100)}xx`;
  return result.errorKind ?? 'error';
}
