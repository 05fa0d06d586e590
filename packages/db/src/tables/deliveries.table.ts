import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';

export type DeliveryStatus = 'pending' | 'delivered' | 'failed' | 'dead';

/** One per (event, matching endpoint); its id is the `webhook-id`, stable across retries. */
export interface DeliveriesTable {
  id: string;
  organizationId: string;
  eventId: string;
  endpointId: string;
  /** pending: not yet tried or waiting for a retry; failed: last attempt failed, retries remain; dead: attempts exhausted (the DLQ). */
  status: Generated<DeliveryStatus>;
  attempts: Generated<number>;
  /** How many times it was replayed: the number of its current run, carried by its delivery jobs. */
  replays: Generated<number>;
  nextAttemptAt: Date | null;
  lastStatusCode: number | null;
  lastError: string | null;
  deliveredAt: Date | null;
  createdAt: ColumnType<Date, Date | undefined, never>;
  updatedAt: Generated<Date>;
}

export type Delivery = Selectable<DeliveriesTable>;
export type NewDelivery = Insertable<DeliveriesTable>;
export type DeliveryUpdate = Updateable<DeliveriesTable>;
