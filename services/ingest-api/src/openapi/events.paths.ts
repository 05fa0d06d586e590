import { listEventsQuerySchema } from '../events/events-read.routes.js';
import {
  closed,
  idParam,
  json,
  nullableTimestamp,
  page,
  problems,
  queryParameters,
  ref,
  timestamp,
  uuid,
} from './helpers.js';

const EVENT_ID = '01936f0e-8f4a-7c3b-9d2e-5a1b2c3d4e5f';
const DELIVERY_ID = '6f1c2d3e-4b5a-4c6d-8e7f-9a0b1c2d3e4f';
const ENDPOINT_ID = '3b9e1f2a-7c4d-4e5f-a6b7-c8d9e0f1a2b3';

/** How an event's status is derived; also the description of its `status` field. */
export const EVENT_STATUS_RULES = [
  '`queued`: received and committed, still in the staging queue (normally for milliseconds).',
  'Once stored, from its deliveries (one per matching endpoint):',
  '`dead` if any delivery is dead (attempts exhausted: see GET /api/deliveries?status=dead and replay);',
  'else `failed` if any delivery’s last attempt failed and it will be retried;',
  'else `accepted` if any delivery is still pending, or the event matched no endpoint;',
  'else `delivered` (every delivery succeeded).',
].join(' ');

const eventExample = {
  id: EVENT_ID,
  type: 'order.created',
  status: 'delivered',
  payload: { order_id: 'ord_123', total: 4200 },
  dedup_id: 'ord_123-created',
  occurred_at: '2026-11-28T10:00:00.000Z',
  received_at: '2026-11-28T10:00:00.012Z',
  persisted_at: '2026-11-28T10:00:00.015Z',
  acknowledged_at: null,
};

export const deliveryExample = {
  id: DELIVERY_ID,
  event_id: EVENT_ID,
  endpoint_id: ENDPOINT_ID,
  event_type: 'order.created',
  status: 'delivered',
  attempts: 1,
  next_attempt_at: null,
  last_status_code: 200,
  last_error: null,
  delivered_at: '2026-11-28T10:00:00.120Z',
  created_at: '2026-11-28T10:00:00.015Z',
  updated_at: '2026-11-28T10:00:00.120Z',
};

export const attemptExample = {
  attempt: 1,
  status_code: 200,
  duration_ms: 84,
  error_kind: null,
  error: null,
  response_body: 'ok',
  created_at: '2026-11-28T10:00:00.120Z',
};

const eventProperties = {
  id: uuid,
  type: { type: 'string' },
  status: { enum: ['queued', 'accepted', 'delivered', 'failed', 'dead'], description: EVENT_STATUS_RULES },
  payload: { type: 'object' },
  dedup_id: { type: ['string', 'null'] },
  occurred_at: timestamp,
  received_at: timestamp,
  persisted_at: { ...nullableTimestamp, description: 'When the event left the queue; null while queued.' },
  acknowledged_at: { ...nullableTimestamp, description: 'When it was acknowledged (inbox); null if not.' },
};

const deliveryProperties = {
  id: { ...uuid, description: 'Stable across retries; sent as `webhook-id`.' },
  event_id: uuid,
  endpoint_id: uuid,
  event_type: { type: 'string' },
  status: {
    enum: ['pending', 'failed', 'delivered', 'dead'],
    description:
      'pending: not yet tried or waiting for a retry; failed: the last attempt failed, retries remain; delivered; dead: attempts exhausted (the DLQ).',
  },
  attempts: { type: 'integer', description: 'Attempts of the current run (a replay starts a new run).' },
  next_attempt_at: nullableTimestamp,
  last_status_code: { type: ['integer', 'null'] },
  last_error: { type: ['string', 'null'] },
  delivered_at: nullableTimestamp,
  created_at: timestamp,
  updated_at: timestamp,
};

const attemptHistory = {
  type: 'array',
  items: ref('Attempt'),
  description: 'Every attempt made, replays included, oldest first.',
};

export const eventsSchemas = {
  Event: closed(Object.keys(eventProperties), eventProperties),
  EventDetail: closed([...Object.keys(eventProperties), 'deliveries'], {
    ...eventProperties,
    deliveries: { type: 'array', items: ref('DeliveryWithAttempts') },
  }),
  Delivery: closed(Object.keys(deliveryProperties), deliveryProperties),
  DeliveryWithAttempts: closed([...Object.keys(deliveryProperties), 'attempt_history'], {
    ...deliveryProperties,
    attempt_history: attemptHistory,
  }),
  Attempt: closed(
    ['attempt', 'status_code', 'duration_ms', 'error_kind', 'error', 'response_body', 'created_at'],
    {
      attempt: { type: 'integer', description: '1-based number within its run.' },
      status_code: { type: ['integer', 'null'] },
      duration_ms: { type: 'integer' },
      error_kind: {
        type: ['string', 'null'],
        enum: ['http_status', 'timeout', 'network', 'dns', 'ssrf_blocked', 'circuit_open', null],
      },
      error: { type: ['string', 'null'] },
      response_body: { type: ['string', 'null'], description: 'The first few KB of the response.' },
      created_at: timestamp,
    },
  ),
  EventPage: page('Event'),
  DeliveryPage: page('Delivery'),
};

export const eventsPaths = {
  '/api/events/{id}': {
    get: {
      summary: 'An event, its status, and each delivery with its attempts',
      description: EVENT_STATUS_RULES,
      operationId: 'getEvent',
      parameters: [idParam('id')],
      responses: {
        '200': {
          description: 'The event',
          content: json('EventDetail', {
            ...eventExample,
            deliveries: [{ ...deliveryExample, attempt_history: [attemptExample] }],
          }),
        },
        ...problems('Unauthorized', 'NotFound'),
      },
    },
    delete: {
      summary: 'Acknowledge an event: it leaves the inbox but stays queryable until retention',
      operationId: 'acknowledgeEvent',
      parameters: [idParam('id')],
      responses: {
        '204': { description: 'Acknowledged (now or before: idempotent)' },
        ...problems('Unauthorized', 'NotFound', 'Conflict'),
      },
    },
  },
};

/** GET /api/events, merged with the POST of the ingest paths. */
export const listEventsOperation = {
  summary: 'List and search events, newest first',
  description: `Keyset-paginated by (received_at, id): follow \`next_cursor\`. ${EVENT_STATUS_RULES}`,
  operationId: 'listEvents',
  parameters: queryParameters(listEventsQuerySchema),
  responses: {
    '200': {
      description: 'A page of events',
      content: json('EventPage', { data: [eventExample], next_cursor: null, has_more: false }),
    },
    ...problems('InvalidQuery', 'Unauthorized'),
  },
};
