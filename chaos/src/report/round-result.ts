import type { DeliveriesCheck } from '../checks/deliveries-reached.js';
import type { DuplicatesCheck } from '../checks/duplicates.js';
import type { EventsStoredCheck } from '../checks/events-stored.js';
import type { StuckCheck } from '../checks/nothing-stuck.js';
import type { PoisonAnsweredCheck } from '../checks/poison-answered.js';
import type { RecoveryCheck } from '../checks/recovery.js';
import type { FaultWindow } from '../faults/fault.js';
import type { RequestCounts } from '../load/load-records.js';

/** Everything one round (or the whole run, `round: 'all'`) found; one line of the table. */
export interface RoundResult {
  round: number | 'all';
  fault: string;
  requests: RequestCounts;
  /** The round's trouble came from another organization: any 5xx answer to the load fails it. */
  neighbourOnly?: boolean;
  /** The poison round's own requests: each must get its documented answer. */
  poison?: PoisonAnsweredCheck;
  /** Events the generator gave up on (no acknowledgement after every attempt). */
  unacknowledged: number;
  events: Omit<EventsStoredCheck, 'stored'> & { unknown?: number };
  /** `unexpected` (whole run only): webhooks for events the load generator never had stored. */
  deliveries: DeliveriesCheck & { unexpected?: number };
  duplicates: DuplicatesCheck;
  stuck: StuckCheck;
  /** From the end of the fault until quiescent; undefined when it never settled. */
  recoveryMs: number | undefined;
  recovery: RecoveryCheck;
  windows: FaultWindow[];
}

/** The checks this result fails, in words; empty when it passes. */
export function problemsOf(result: RoundResult): string[] {
  const problems: string[] = [];
  const { events, deliveries, duplicates, stuck } = result;
  if (result.neighbourOnly && result.requests.serverErrors > 0)
    problems.push(`${result.requests.serverErrors} 5xx answers because of another organization's requests`);
  const { poison } = result;
  if (poison?.sent === 0) problems.push('the attacker sent no poison');
  if (poison && poison.wrong > 0)
    problems.push(
      `${poison.wrong} of ${poison.sent} poison requests not answered as documented: ${poison.samples.join('; ')}`,
    );
  if (events.lost > 0)
    problems.push(`${events.lost} acknowledged events not stored (e.g. ${events.lostSamples.join(', ')})`);
  if (events.wrongId > 0)
    problems.push(`${events.wrongId} events stored under another id than the API returned`);
  if ((events.unknown ?? 0) !== 0)
    problems.push(`${events.unknown} stored events the load generator never sent`);
  if (deliveries.missing > 0)
    problems.push(
      `${deliveries.missing} deliveries never reached the sink (e.g. ${deliveries.missingSamples.join(', ')})`,
    );
  if ((deliveries.unexpected ?? 0) > 0)
    problems.push(`${deliveries.unexpected} webhooks for events that were never stored`);
  if (duplicates.unexplained > 0 || duplicates.duplicates > duplicates.bound)
    problems.push(
      `${duplicates.unexplained} duplicates not explained by a fault in flight (bound ${duplicates.bound}): ${duplicates.samples.join('; ')}`,
    );
  if (duplicates.idChanges > 0)
    problems.push(`${duplicates.idChanges} deliveries changed webhook-id between attempts`);
  if (!(stuck.stuck === 0))
    problems.push(`work left behind: ${stuck.stuck} (${stuck.withoutJob} pending without a job)`);
  if (!(stuck.dead === 0)) problems.push(`${stuck.dead} deliveries dead (attempts exhausted)`);
  problems.push(...result.recovery.problems);
  return problems;
}
