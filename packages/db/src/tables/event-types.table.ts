import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';

export interface EventTypesTable {
  id: Generated<string>;
  organizationId: string;
  /** Dotted name, e.g. `order.created`; unique per organization. */
  name: string;
  description: string | null;
  /** JSON Schema the payload of events of this type must match; null accepts any object. */
  schema: Record<string, unknown> | null;
  createdAt: ColumnType<Date, never, never>;
  updatedAt: Generated<Date>;
}

export type EventType = Selectable<EventTypesTable>;
export type NewEventType = Insertable<EventTypesTable>;
export type EventTypeUpdate = Updateable<EventTypesTable>;
