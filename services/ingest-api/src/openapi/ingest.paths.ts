import { json, problems } from './helpers.js';

const ingestProblems = problems(
  'BadRequest',
  'Unauthorized',
  'PayloadTooLarge',
  'UnsupportedMediaType',
  'ValidationFailed',
  'RateLimited',
  'Unavailable',
);

const schemaNote =
  'Payloads of a registered event type must match its schema, and an organization in strict mode accepts registered types only: otherwise 422 listing every problem.';

/** POST /api/events (merged with GET, the listing) and POST /api/events/batch. */
export const createEventOperation = {
  summary: 'Send one event',
  description: `202 means the event is durably stored. ${schemaNote}`,
  operationId: 'createEvent',
  requestBody: {
    required: true,
    content: json('EventEnvelope', {
      type: 'order.created',
      payload: { order_id: 'ord_123', total: 4200 },
      dedup_id: 'ord_123-created',
    }),
  },
  responses: {
    '202': {
      description: 'Committed to the queue',
      headers: { Location: { schema: { type: 'string' } } },
      content: json('EventAccepted', {
        id: '01936f0e-8f4a-7c3b-9d2e-5a1b2c3d4e5f',
        status: 'accepted',
        received_at: '2026-11-28T10:00:00.012Z',
      }),
    },
    '200': {
      description: 'Duplicate of an event already queued or stored (same dedup_id)',
      headers: { Location: { schema: { type: 'string' } } },
      content: json('EventAccepted', {
        id: '01936f0e-8f4a-7c3b-9d2e-5a1b2c3d4e5f',
        status: 'accepted',
        duplicate: true,
      }),
    },
    ...ingestProblems,
  },
};

export const ingestPaths = {
  '/api/events/batch': {
    post: {
      summary: 'Send up to 1,000 events; valid ones are stored in one statement',
      description: schemaNote,
      operationId: 'createEventBatch',
      requestBody: {
        required: true,
        content: json('EventBatch', { events: [{ type: 'order.created', payload: { order_id: 'ord_1' } }] }),
      },
      responses: {
        '202': {
          description: 'Every event accepted (or a duplicate)',
          content: json('BatchResult', {
            accepted: 1,
            duplicates: 0,
            rejected: 0,
            results: [
              {
                index: 0,
                status: 'accepted',
                id: '01936f0e-8f4a-7c3b-9d2e-5a1b2c3d4e5f',
                received_at: '2026-11-28T10:00:00.012Z',
              },
            ],
          }),
        },
        '207': {
          description: 'Some events accepted, some rejected: see each result',
          content: json('BatchResult', {
            accepted: 1,
            duplicates: 0,
            rejected: 1,
            results: [
              {
                index: 0,
                status: 'accepted',
                id: '01936f0e-8f4a-7c3b-9d2e-5a1b2c3d4e5f',
                received_at: '2026-11-28T10:00:00.012Z',
              },
              {
                index: 1,
                status: 'rejected',
                errors: [{ pointer: '/events/1/payload/total', message: 'must be >= 0' }],
              },
            ],
          }),
        },
        ...ingestProblems,
      },
    },
  },
};
