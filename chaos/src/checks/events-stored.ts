import type { Sql } from 'postgres';
import { acknowledged, type SentEvent } from '../load/load-records.js';

export interface StoredEvent {
  id: string;
  type: string;
}

export interface EventsStoredCheck {
  /** Events the API acknowledged (202, or 200 for a duplicate). */
  acknowledged: number;
  /** Acknowledged events with no stored row: "202 means durable" broken. */
  lost: number;
  /** Stored under an id other than the one the API returned. */
  wrongId: number;
  /** Stored although no attempt was acknowledged (an answer lost to a fault): allowed. */
  storedWithoutAck: number;
  /** Every stored event among `events`, for the delivery checks. */
  stored: StoredEvent[];
  /** A few dedup_ids of lost events, to investigate. */
  lostSamples: string[];
}

/**
 * Every acknowledged event must be stored exactly once, under the id the API returned. The unique
 * key (organization, dedup_id) makes "more than once" impossible in one organization, so the check
 * looks each dedup_id up and compares ids.
 */
export async function checkEventsStored(
  sql: Sql,
  organizationId: string,
  events: readonly SentEvent[],
): Promise<EventsStoredCheck> {
  const rows = new Map<string, { id: string; type: string }>();
  for (let i = 0; i < events.length; i += 5000) {
    const dedupIds = events.slice(i, i + 5000).map((e) => e.dedupId);
    const found = await sql<{ id: string; dedup_id: string; type: string }[]>`
      SELECT id, dedup_id, type FROM events
      WHERE organization_id = ${organizationId} AND dedup_id = ANY(${dedupIds}::text[])`;
    for (const row of found) rows.set(row.dedup_id, { id: row.id, type: row.type });
  }
  const result: EventsStoredCheck = {
    acknowledged: 0,
    lost: 0,
    wrongId: 0,
    storedWithoutAck: 0,
    stored: [],
    lostSamples: [],
  };
  for (const event of events) {
    const row = rows.get(event.dedupId);
    if (row) result.stored.push(row);
    if (!acknowledged(event)) {
      if (row) result.storedWithoutAck += 1;
      continue;
    }
    result.acknowledged += 1;
    if (!row) {
      result.lost += 1;
      if (result.lostSamples.length < 5) result.lostSamples.push(event.dedupId);
    } else if (row.id !== event.eventId) {
      result.wrongId += 1;
    }
  }
  return result;
}

/** Events of the organization that the generator never sent: must be none. */
export async function countUnknownEvents(
  sql: Sql,
  organizationId: string,
  knownStored: number,
): Promise<number> {
  const [row] = await sql<{ n: number }[]>`
    SELECT count(*)::int AS n FROM events WHERE organization_id = ${organizationId}`;
  return (row?.n ?? 0) - knownStored;
}
