import { setTimeout as sleep } from 'node:timers/promises';
import { postJson, type ApiAnswer } from '@triggers/testing';

export interface VictimTrafficOptions {
  apiUrl: string;
  apiKey: string;
  /** Requests of the phase, at least; even ones carry one event, odd ones a batch. */
  requests: number;
  /** Goes on past `requests` while this says so. */
  continueWhile?: () => boolean;
  /**
   * Requests started per second, whatever the answers' pace (an open loop): latency then measures
   * the service, not the queue that a closed loop saturating the machine would build.
   */
  ratePerSecond: number;
  /** Requests in flight at most; past it a request waits for one to end. */
  concurrency: number;
  batchSize: number;
  /** Makes every dedup_id of the phase unique. */
  label: string;
  /** A client timeout: an answer slower than this counts as none. */
  timeoutMs: number;
}

export interface VictimPhase {
  answers: (ApiAnswer & { kind: 'single' | 'batch' })[];
  /** Ids of the events the API said it stored (202, or accepted items of a batch), not duplicates. */
  acceptedEventIds: string[];
  /** A request timed out: the phase stopped there (a frozen API would otherwise take minutes). */
  stalled: boolean;
}

/**
 * A well-behaved organization's steady traffic: single events and batches at a fixed rate, every
 * event with a dedup_id of its own. Records each answer and its latency.
 */
export async function sendVictimTraffic(options: VictimTrafficOptions): Promise<VictimPhase> {
  const phase: VictimPhase = { answers: [], acceptedEventIds: [], stalled: false };
  let next = 0;
  const started = performance.now();
  const client = async () => {
    const more = () => next < options.requests || (options.continueWhile?.() ?? false);
    while (!phase.stalled && more()) {
      const i = next++;
      const due = started + (i * 1000) / options.ratePerSecond - performance.now();
      if (due > 0) await sleep(due);
      const event = (dedupId: string) => ({
        type: 'order.created',
        dedup_id: dedupId,
        payload: { order: dedupId, amount_cents: 1299, note: 'a victim event' },
      });
      const batch = i % 2 === 1;
      const id = `${options.label}-${i}`;
      const answer = batch
        ? await postJson(
            options.apiUrl,
            '/api/events/batch',
            options.apiKey,
            { events: Array.from({ length: options.batchSize }, (_, k) => event(`${id}-${k}`)) },
            options.timeoutMs,
          )
        : await postJson(options.apiUrl, '/api/events', options.apiKey, event(id), options.timeoutMs);
      phase.answers.push({ ...answer, kind: batch ? 'batch' : 'single' });
      phase.acceptedEventIds.push(...acceptedIds(answer));
      if (answer.status === 'timeout') phase.stalled = true;
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, client));
  return phase;
}

function acceptedIds(answer: ApiAnswer): string[] {
  const body = answer.body;
  if (!body) return [];
  if (answer.status === 202 && typeof body.id === 'string') return [body.id];
  if ((answer.status === 202 || answer.status === 207) && Array.isArray(body.results)) {
    return (body.results as { status?: string; id?: unknown; duplicate?: boolean }[])
      .filter((r) => r.status === 'accepted' && !r.duplicate && typeof r.id === 'string')
      .map((r) => r.id as string);
  }
  return [];
}
