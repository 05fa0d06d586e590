import { eventBatchSchema, eventEnvelopeSchema } from '../events/event-envelope.js';

const timestamp = { type: 'string', format: 'date-time' } as const;
const uuid = { type: 'string', format: 'uuid' } as const;

/** Reusable schemas of the OpenAPI document; request schemas are the very ones ajv enforces. */
export const schemas = {
  Problem: {
    type: 'object',
    description: 'RFC 9457 problem details. `code` is stable; branch on it.',
    required: ['type', 'title', 'status', 'code'],
    properties: {
      type: { type: 'string', format: 'uri' },
      title: { type: 'string' },
      status: { type: 'integer' },
      code: { type: 'string' },
      detail: { type: 'string' },
      instance: { type: 'string' },
      errors: {
        type: 'array',
        items: {
          type: 'object',
          required: ['pointer', 'message'],
          properties: { pointer: { type: 'string' }, message: { type: 'string' } },
        },
      },
    },
  },
  EventEnvelope: {
    ...eventEnvelopeSchema,
    example: {
      type: 'order.created',
      payload: { order_id: 'ord_123', total: 4200 },
      dedup_id: 'ord_123-created',
    },
  },
  EventBatch: {
    ...eventBatchSchema,
    properties: {
      events: {
        ...eventBatchSchema.properties.events,
        items: { $ref: '#/components/schemas/EventEnvelope' },
      },
    },
  },
  EventAccepted: {
    type: 'object',
    required: ['id', 'status'],
    properties: {
      id: uuid,
      status: { const: 'accepted' },
      received_at: timestamp,
      duplicate: {
        type: 'boolean',
        description: 'Present (true) when the dedup_id was already seen; `id` is the original event.',
      },
    },
  },
  BatchResult: {
    type: 'object',
    required: ['accepted', 'duplicates', 'rejected', 'results'],
    properties: {
      accepted: { type: 'integer' },
      duplicates: { type: 'integer' },
      rejected: { type: 'integer' },
      results: {
        type: 'array',
        items: {
          type: 'object',
          required: ['index', 'status'],
          properties: {
            index: { type: 'integer' },
            status: { enum: ['accepted', 'rejected'] },
            id: uuid,
            received_at: timestamp,
            duplicate: { type: 'boolean' },
            errors: { $ref: '#/components/schemas/Problem/properties/errors' },
          },
        },
      },
    },
  },
  Organization: {
    type: 'object',
    required: ['id', 'name', 'rate_limit_per_second', 'strict_event_types', 'created_at'],
    properties: {
      id: uuid,
      name: { type: 'string' },
      rate_limit_per_second: { type: ['integer', 'null'] },
      strict_event_types: { type: 'boolean' },
      created_at: timestamp,
    },
  },
  ApiKey: {
    type: 'object',
    required: ['id', 'organization_id', 'name', 'prefix', 'created_at', 'revoked_at'],
    properties: {
      id: uuid,
      organization_id: uuid,
      name: { type: 'string' },
      prefix: { type: 'string', description: 'First characters of the key, to tell keys apart.' },
      created_at: timestamp,
      revoked_at: { type: ['string', 'null'], format: 'date-time' },
      key: { type: 'string', description: 'The key itself: only in the response that created it.' },
    },
  },
  Readiness: {
    type: 'object',
    required: ['ready', 'draining', 'checks'],
    properties: {
      ready: { type: 'boolean' },
      draining: { type: 'boolean' },
      checks: { type: 'object', additionalProperties: { enum: ['ok', 'failing'] } },
    },
  },
} as const;

/** `#/components/responses/<name>`: the problem answers shared by many operations. */
export const responses = Object.fromEntries(
  (
    [
      [
        'BadRequest',
        'Malformed JSON, invalid UTF-8, an unreadable body, a body that does not decode as its Content-Encoding (`invalid_content_encoding`), or a path whose percent-escapes do not decode (`invalid_path`)',
      ],
      [
        'InvalidQuery',
        'A query parameter is invalid (`invalid_query`; e.g. limit outside 1–1,000, a bad cursor)',
      ],
      ['Conflict', 'The resource is not in a state that allows this; `code` says which'],
      ['Unauthorized', 'Missing, unknown or revoked credentials'],
      ['NotFound', 'No such resource (or not the caller’s)'],
      ['PayloadTooLarge', 'Body over the configured limit'],
      [
        'UnsupportedMediaType',
        'Body is not application/json, or its Content-Encoding is not identity, gzip, deflate or br',
      ],
      ['ValidationFailed', 'The body does not match the schema; `errors` lists every problem'],
      ['RateLimited', 'Organization rate limit exceeded; see Retry-After and RateLimit-* headers'],
      [
        'Unavailable',
        'A dependency (Postgres, or Redis for replays) is unavailable; nothing changed; retry after Retry-After',
      ],
    ] as const
  ).map(([name, description]) => [
    name,
    {
      description,
      content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
    },
  ]),
);
