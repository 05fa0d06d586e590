import type { ColumnType, Generated, Selectable } from 'kysely';

/** Deliveries of one processed batch whose BullMQ jobs are not yet confirmed added. */
export interface DeliveryHandoffsTable {
  id: Generated<number>;
  deliveryIds: string[];
  createdAt: ColumnType<Date, Date | undefined, never>;
}

export type DeliveryHandoff = Selectable<DeliveryHandoffsTable>;
