import type { Generated, Insertable, Selectable } from 'kysely';

/** Staging table: the only one the ingest hot path writes; the processor drains it. */
export interface EventQueueTable {
  /** Insertion order, used by the processor to claim oldest first. */
  seq: Generated<number>;
  /** The event id: UUIDv5 of (organization, dedup_id) when a dedup_id is given, else UUIDv7. */
  id: string;
  organizationId: string;
  type: string;
  payload: Record<string, unknown>;
  dedupId: string | null;
  occurredAt: Date;
  receivedAt: Date;
}

export type QueuedEvent = Selectable<EventQueueTable>;
export type NewQueuedEvent = Insertable<EventQueueTable>;
