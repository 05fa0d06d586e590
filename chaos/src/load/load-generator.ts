import { Pool } from 'undici';
import type { Random } from '../random.js';
import { sleep } from '../sleep.js';
import { eventTypeFor } from './event-mix.js';
import { emptyCounts, type RequestCounts, type SentEvent } from './load-records.js';

/** Events still being tried (answered or given up on neither) are capped at this many seconds of load. */
const OUTSTANDING_SECONDS = 4;

export interface LoadOptions {
  apiUrl: string;
  apiKey: string;
  /** New events per second, evenly spaced (retries come on top). */
  rate: number;
  /** Prefix of every dedup_id, unique per run. */
  runId: string;
  /** Draws the event types (its own source, so that fault moments do not depend on how many events were sent). */
  random: Random;
  /** Attempts per event before the generator gives up on it (`failed`). */
  maxAttempts: number;
  connections: number;
}

/**
 * An open-loop load on POST /api/events: new events start on a fixed schedule whatever happens to
 * earlier ones, as long as no more than a few seconds' worth are still unanswered. Each carries a dedup_id of its own; a 5xx or a connection error is retried with the
 * same dedup_id (as a client must, since it cannot know whether the event was stored), with
 * backoff. Every request's outcome is recorded: the checks compare these records with the database.
 */
export class LoadGenerator {
  readonly events: SentEvent[] = [];
  private readonly counts = new Map<number, RequestCounts>();
  private readonly pool: Pool;
  private readonly inFlight = new Set<Promise<void>>();
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly options: LoadOptions) {
    this.pool = new Pool(options.apiUrl, {
      connections: options.connections,
      pipelining: 1,
      keepAliveTimeout: 10_000,
      connectTimeout: 2_000,
      headersTimeout: 15_000,
      bodyTimeout: 15_000,
    });
  }

  /** Starts sending the events of `round`. */
  start(round: number): void {
    if (this.timer) throw new Error('load already running');
    this.counts.set(round, emptyCounts());
    const intervalMs = 1000 / this.options.rate;
    const maxOutstanding = this.options.rate * OUTSTANDING_SECONDS;
    let nextAt = performance.now();
    const tick = () => {
      const now = performance.now();
      // Every slot that is due, so that a late timer does not lower the rate...
      while (nextAt <= now) {
        // ...unless the API has fallen that far behind: then the schedule slips instead of piling
        // up a retry storm that would measure overload rather than recovery.
        if (this.inFlight.size >= maxOutstanding) {
          nextAt = now + intervalMs;
          break;
        }
        this.track(this.send(this.newEvent(round)));
        nextAt += intervalMs;
      }
      this.timer = setTimeout(tick, Math.max(1, nextAt - performance.now()));
    };
    tick();
  }

  /** Stops starting new events, then waits (up to `timeoutMs`) until every event sent has its outcome. */
  async stop(timeoutMs: number): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    const deadline = Date.now() + timeoutMs;
    while (this.inFlight.size > 0 && Date.now() < deadline) {
      await Promise.race([Promise.allSettled([...this.inFlight]), sleep(250)]);
    }
  }

  eventsOf(round: number): SentEvent[] {
    return this.events.filter((e) => e.round === round);
  }

  countsOf(round: number): RequestCounts {
    return this.counts.get(round) ?? emptyCounts();
  }

  async close(): Promise<void> {
    await this.stop(0);
    await this.pool.destroy();
  }

  private newEvent(round: number): SentEvent {
    const event: SentEvent = {
      dedupId: `${this.options.runId}-${this.events.length}`,
      type: eventTypeFor(this.options.random.next()),
      round,
      attempts: 0,
      outcome: 'pending',
      eventId: undefined,
    };
    this.events.push(event);
    return event;
  }

  private track(work: Promise<void>): void {
    this.inFlight.add(work);
    void work.finally(() => this.inFlight.delete(work));
  }

  /** All attempts of one event, each counted in the round the event belongs to. */
  private async send(event: SentEvent): Promise<void> {
    const counts = this.counts.get(event.round)!;
    const body = JSON.stringify({
      type: event.type,
      dedup_id: event.dedupId,
      payload: { round: event.round, dedup_id: event.dedupId, note: 'chaos suite load' },
    });
    while (event.attempts < this.options.maxAttempts) {
      event.attempts += 1;
      counts.requests += 1;
      const answer = await this.post(body);
      if (answer.status === 202 || answer.status === 200) {
        if (answer.status === 202) counts.accepted += 1;
        else counts.duplicates += 1;
        event.outcome = answer.status === 202 ? 'accepted' : 'duplicate';
        event.eventId = answer.id;
        return;
      }
      if (answer.status === 'error') counts.connectionErrors += 1;
      else if (answer.status >= 500) counts.serverErrors += 1;
      else counts.clientErrors += 1;
      // A 4xx other than 429 will not change on a retry.
      if (typeof answer.status === 'number' && answer.status < 500 && answer.status !== 429) {
        event.outcome = 'rejected';
        return;
      }
      // Backoff with jitter, so that the events a restart turned away do not all come back at once.
      const backoff = Math.min(250 * 2 ** (event.attempts - 1), 4000);
      await sleep(backoff / 2 + Math.random() * (backoff / 2));
    }
    event.outcome = 'failed';
  }

  private async post(body: string): Promise<{ status: number | 'error'; id?: string }> {
    try {
      const response = await this.pool.request({
        method: 'POST',
        path: '/api/events',
        headers: { authorization: `Bearer ${this.options.apiKey}`, 'content-type': 'application/json' },
        body,
      });
      const text = await response.body.text();
      if (response.statusCode !== 202 && response.statusCode !== 200) return { status: response.statusCode };
      const id = (JSON.parse(text) as { id?: unknown }).id;
      return { status: response.statusCode, id: typeof id === 'string' ? id : undefined };
    } catch {
      return { status: 'error' };
    }
  }
}
