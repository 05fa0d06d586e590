import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';

export interface OrganizationsTable {
  id: Generated<string>;
  name: string;
  /** When true, events of types not registered in `event_types` are refused at ingest. */
  strictEventTypes: Generated<boolean>;
  /** Events per second this organization may send; null takes the service default. */
  rateLimitPerSecond: number | null;
  createdAt: ColumnType<Date, never, never>;
}

export type Organization = Selectable<OrganizationsTable>;
export type NewOrganization = Insertable<OrganizationsTable>;
export type OrganizationUpdate = Updateable<OrganizationsTable>;
