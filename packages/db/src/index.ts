export {
  createDatabase,
  pingDatabase,
  type DatabaseClient,
  type DatabaseOptions,
  type Sql,
  type TransactionSql,
} from './connection.js';
export type { Database } from './database.js';
export {
  isUuid,
  STORABLE_TIME_RANGE,
  UNSTORABLE_DATE_MESSAGE,
  toStorableDate,
  toStorableText,
  unstorableNumber,
  unstorableText,
} from './storable.js';
export { bisectRefusedGroups, isRefusedRowError, writeIsolatingRefusedRows } from './refused-rows.js';
export { isTransientDatabaseError, retryTransient, type TransientRetryOptions } from './transient-errors.js';
export { migrateDown, migrateToEmpty, migrateToLatest } from './migrator.js';
export * from './queries/api-keys.queries.js';
export * from './queries/delivery-history.queries.js';
export * from './queries/delivery-replay.queries.js';
export * from './queries/endpoints.queries.js';
export * from './queries/event-types.queries.js';
export * from './queries/events.queries.js';
export * from './queries/inbox.queries.js';
export { type KeysetPosition } from './queries/listing.js';
export * from './queries/event-queue.queries.js';
export * from './queries/organizations.queries.js';
export type * from './tables/api-keys.table.js';
export type * from './tables/deliveries.table.js';
export type * from './tables/delivery-attempts.table.js';
export type * from './tables/delivery-handoffs.table.js';
export type * from './tables/endpoints.table.js';
export type * from './tables/event-queue.table.js';
export type * from './tables/event-types.table.js';
export type * from './tables/events.table.js';
export type * from './tables/organizations.table.js';
export * from './queries/processing.queries.js';
export * from './queries/delivery-sending.queries.js';
