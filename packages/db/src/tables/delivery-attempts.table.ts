import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';

export type AttemptErrorKind =
  'http_status' | 'timeout' | 'network' | 'dns' | 'ssrf_blocked' | 'circuit_open';

export interface DeliveryAttemptsTable {
  id: Generated<number>;
  deliveryId: string;
  organizationId: string;
  /** 1-based attempt number. */
  attempt: number;
  statusCode: number | null;
  durationMs: number;
  errorKind: AttemptErrorKind | null;
  error: string | null;
  /** The first few KB of the receiver's response body. */
  responseBody: string | null;
  createdAt: ColumnType<Date, Date | undefined, never>;
}

export type DeliveryAttempt = Selectable<DeliveryAttemptsTable>;
export type NewDeliveryAttempt = Insertable<DeliveryAttemptsTable>;
