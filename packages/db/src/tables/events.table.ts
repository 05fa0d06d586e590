import type { ColumnType, Insertable, Selectable } from 'kysely';

export interface EventsTable {
  id: string;
  organizationId: string;
  type: string;
  payload: Record<string, unknown>;
  dedupId: string | null;
  occurredAt: Date;
  receivedAt: Date;
  /** When the processor moved the event out of the queue. */
  persistedAt: ColumnType<Date, Date | undefined, never>;
  /** Set by an inbox acknowledgement; acknowledged events leave the inbox but stay queryable. */
  acknowledgedAt: Date | null;
  /** Id (xid8, as text) of the transaction that stored the event: the inbox's order (see inbox.queries). */
  storedXid: ColumnType<string, never, never>;
}

export type StoredEvent = Selectable<EventsTable>;
export type NewStoredEvent = Insertable<EventsTable>;
