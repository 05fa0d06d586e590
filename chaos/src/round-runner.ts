import type { Queue } from 'bullmq';
import type { Sql } from 'postgres';
import type { DeliveryQueueData } from '@triggers/delivery-queue';
import { checkDeliveriesReached, countUnexpectedReceipts } from './checks/deliveries-reached.js';
import { checkDuplicates } from './checks/duplicates.js';
import { checkEventsStored, countUnknownEvents } from './checks/events-stored.js';
import { checkNothingStuck } from './checks/nothing-stuck.js';
import { waitForQuiescence } from './checks/quiescence.js';
import { checkRecovery } from './checks/recovery.js';
import { readSystemState } from './checks/system-state.js';
import type { Cluster } from './cluster/cluster.js';
import type { Tenant } from './cluster/tenant.js';
import type { Fault, FaultWindow } from './faults/fault.js';
import type { LoadGenerator } from './load/load-generator.js';
import { addCounts, emptyCounts, type SentEvent } from './load/load-records.js';
import type { ChaosOptions } from './options.js';
import type { Random } from './random.js';
import type { RoundResult } from './report/round-result.js';
import type { Sink } from './sink/sink-process.js';
import { sleep } from './sleep.js';

export interface RunContext {
  cluster: Cluster;
  sink: Sink;
  load: LoadGenerator;
  tenant: Tenant;
  sql: Sql;
  queue: Queue<DeliveryQueueData>;
  random: Random;
  options: ChaosOptions;
  say: (line: string) => void;
}

/** Generous: a retried event may wait out a whole outage before its last attempt. */
const LOAD_SETTLE_TIMEOUT_MS = 60_000;

/**
 * One round: steady load; a random moment later the fault; load on for a while after its cause is
 * gone; then wait until the system is quiescent and check it against the load generator's records
 * and the sink's log.
 */
export async function runRound(ctx: RunContext, round: number, fault: Fault): Promise<RoundResult> {
  const { cluster, load, random, options, say } = ctx;
  const exitsBefore = cluster.unexpectedExits.length;
  say(`round ${round}: ${fault.name}`);
  load.start(round);
  await sleep(random.between(...options.leadMs));
  const windows = await fault.run({ cluster, sink: ctx.sink, random, say });
  await sleep(options.tailMs);
  await load.stop(LOAD_SETTLE_TIMEOUT_MS);
  const loadEnd = Date.now();
  const faultEnd = windows.length > 0 ? Math.max(...windows.map((w) => w.end)) : loadEnd;

  const quiescence = await waitForQuiescence(
    () => readSystemState(ctx.sql, ctx.queue, cluster),
    options.quiescenceTimeoutMs,
  );
  const recoveryMs = quiescence.at === undefined ? undefined : quiescence.at - faultEnd;
  const { checks: result } = await check(ctx, load.eventsOf(round), windows, quiescence.last);
  const recovery = checkRecovery(cluster.unexpectedExits.slice(exitsBefore), quiescence);
  return {
    round,
    fault: fault.name,
    requests: load.countsOf(round),
    neighbourOnly: fault.neighbourOnly,
    poison: fault.poisonAnswered?.(),
    ...result,
    recoveryMs,
    recovery,
    windows,
  };
}

/**
 * The whole run checked again at the end, over every event sent: a later fault must not have
 * undone an earlier round (Postgres crash recovery losing committed rows, a late duplicate).
 */
export async function checkWholeRun(ctx: RunContext, rounds: readonly RoundResult[]): Promise<RoundResult> {
  const windows = rounds.flatMap((r) => r.windows);
  const state = await readSystemState(ctx.sql, ctx.queue, ctx.cluster).catch(() => undefined);
  const { checks: result, stored } = await check(ctx, ctx.load.events, windows, state);
  const unknown = await countUnknownEvents(ctx.sql, ctx.tenant.organizationId, stored.length);
  const recoveries = rounds.map((r) => r.recoveryMs);
  return {
    round: 'all',
    fault: 'whole run, re-checked',
    requests: rounds.reduce((sum, r) => addCounts(sum, r.requests), emptyCounts()),
    ...result,
    events: { ...result.events, unknown },
    deliveries: {
      ...result.deliveries,
      unexpected: countUnexpectedReceipts(stored, await ctx.sink.receipts()),
    },
    recoveryMs: recoveries.includes(undefined) ? undefined : Math.max(...(recoveries as number[])),
    recovery: recoverySummary(rounds),
    windows,
  };
}

/** The rounds' own lines say what went wrong; the whole run just names them. */
function recoverySummary(rounds: readonly RoundResult[]): RoundResult['recovery'] {
  const failed = rounds.filter((r) => !r.recovery.recovered).map((r) => r.round);
  return {
    recovered: failed.length === 0,
    problems:
      failed.length === 0
        ? []
        : [`${failed.length === 1 ? 'round' : 'rounds'} ${failed.join(', ')} did not recover by themselves`],
  };
}

async function check(
  ctx: RunContext,
  events: readonly SentEvent[],
  windows: readonly FaultWindow[],
  state: Awaited<ReturnType<typeof readSystemState>> | undefined,
) {
  const { stored, ...eventsCheck } = await checkEventsStored(ctx.sql, ctx.tenant.organizationId, events);
  const receipts = await ctx.sink.receipts();
  const checks = {
    unacknowledged: events.filter((e) => e.outcome === 'failed' || e.outcome === 'pending').length,
    events: eventsCheck,
    deliveries: checkDeliveriesReached(stored, receipts),
    duplicates: checkDuplicates(
      stored.map((e) => e.id),
      receipts,
      windows,
    ),
    stuck: await checkNothingStuck(ctx.sql, ctx.queue, state),
  };
  return { checks, stored };
}
