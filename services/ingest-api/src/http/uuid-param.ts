import { isUuid } from '@triggers/db';
import { errors } from './api-error.js';

/** A UUID in a JSON body or query: only the plain form Postgres reads (ajv's `uuid` format also allows `urn:uuid:`). */
export const uuidSchema = {
  type: 'string',
  format: 'uuid',
  maxLength: 36,
  pattern: '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$',
} as const;

/** A path id that is not a UUID names nothing: 404, and Postgres never sees it. */
export function uuidParam(value: unknown, what: string): string {
  if (typeof value !== 'string' || !isUuid(value)) throw errors.notFound(what);
  return value.toLowerCase();
}
