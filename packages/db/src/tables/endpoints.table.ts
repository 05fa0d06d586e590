import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';

export interface EndpointsTable {
  id: Generated<string>;
  organizationId: string;
  url: string;
  description: string | null;
  /** Event-type filter: exact names or `prefix.*` wildcards; empty means every type. */
  eventTypes: Generated<string[]>;
  enabled: Generated<boolean>;
  /** Why the system disabled this endpoint (410 Gone, failing too long); null when a person did. */
  disabledReason: string | null;
  /** `whsec_` + base64 of the signing key. */
  secret: string;
  /** The secret before the last rotation; it keeps signing until `previousSecretExpiresAt`. */
  previousSecret: string | null;
  previousSecretExpiresAt: Date | null;
  /** Extra request headers sent with every delivery. */
  headers: Generated<Record<string, string>>;
  /** Per-endpoint overrides; null takes the deliverer's defaults. */
  maxAttempts: number | null;
  timeoutMs: number | null;
  /** Start of the current run of consecutive failures; null while healthy. */
  failingSince: Date | null;
  createdAt: ColumnType<Date, never, never>;
  updatedAt: Generated<Date>;
}

export type Endpoint = Selectable<EndpointsTable>;
export type NewEndpoint = Insertable<EndpointsTable>;
export type EndpointUpdate = Updateable<EndpointsTable>;
