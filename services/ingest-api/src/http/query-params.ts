import { EVENT_TYPE_PATTERN } from '../events/event-envelope.js';
import { uuidSchema } from './uuid-param.js';

/** An event-type filter: an exact type, `prefix.*` (every type under `prefix.`), or `*`. */
export const EVENT_TYPE_FILTER_PATTERN = `^(\\*|${EVENT_TYPE_PATTERN.slice(1, -1)}(\\.\\*)?)$`;

/** Query-string schemas shared by listings; the OpenAPI parameters are generated from them. */
export const queryParams = {
  limit: (fallback = 100) => ({
    type: 'integer',
    minimum: 1,
    maximum: 1000,
    default: fallback,
    description: 'Items per page, 1 to 1,000.',
  }),
  cursor: {
    type: 'string',
    minLength: 1,
    maxLength: 512,
    description: 'The `next_cursor` of the previous page (opaque).',
  },
  from: { type: 'string', format: 'date-time', maxLength: 64, description: 'Inclusive lower time bound.' },
  to: { type: 'string', format: 'date-time', maxLength: 64, description: 'Exclusive upper time bound.' },
  type: {
    type: 'string',
    maxLength: 130,
    pattern: EVENT_TYPE_FILTER_PATTERN,
    description: 'Event type: exact (`order.created`), every type under a prefix (`order.*`), or `*`.',
  },
  uuid: (description: string) => ({ ...uuidSchema, description }),
} as const;

/** A query-string object schema: no other parameters accepted. */
export function querySchema(properties: Record<string, object>) {
  return { type: 'object', additionalProperties: false, properties } as const;
}
