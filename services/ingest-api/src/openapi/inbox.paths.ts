import { ackRequestSchema, inboxQuerySchema } from '../inbox/inbox.routes.js';
import { bodyProblems, closed, json, problems, queryParameters, ref, timestamp, uuid } from './helpers.js';

const inboxEventProperties = {
  id: uuid,
  type: { type: 'string' },
  payload: { type: 'object' },
  dedup_id: { type: ['string', 'null'] },
  occurred_at: timestamp,
  received_at: timestamp,
};

export const inboxSchemas = {
  InboxEvent: closed(Object.keys(inboxEventProperties), inboxEventProperties),
  InboxPage: closed(['data', 'next_cursor', 'has_more'], {
    data: { type: 'array', items: ref('InboxEvent') },
    next_cursor: {
      type: ['string', 'null'],
      description:
        'Points after the last event returned, on every page including the last: keep it and poll with it to get exactly the events stored since. Null only when nothing was ever returned.',
    },
    has_more: { type: 'boolean', description: 'More events are available right now.' },
  }),
  AckRequest: ackRequestSchema,
  AckResult: closed(['acknowledged', 'unchanged', 'queued', 'not_found'], {
    acknowledged: { type: 'integer', description: 'Events acknowledged by this request.' },
    unchanged: { type: 'integer', description: 'Events that were already acknowledged.' },
    queued: {
      type: 'array',
      items: uuid,
      description: 'The caller’s events still queued, not acknowledged: retry them once stored.',
    },
    not_found: {
      type: 'array',
      items: uuid,
      description: 'Ids that are not the caller’s events (unknown, or another organization’s): ignored.',
    },
  }),
};

export const inboxPaths = {
  '/api/inbox': {
    get: {
      summary: 'Unacknowledged events, oldest first',
      description:
        'The pull alternative to webhooks. Events come in the order they were stored, and the keyset cursor is stable under concurrent inserts: an event stored after a page was read always comes after that page, so a consumer following `next_cursor` sees each event exactly once. Acknowledge what you processed with POST /api/inbox/ack.',
      operationId: 'listInbox',
      parameters: queryParameters(inboxQuerySchema),
      responses: {
        '200': {
          description: 'A page of the inbox',
          content: json('InboxPage', {
            data: [
              {
                id: '01936f0e-8f4a-7c3b-9d2e-5a1b2c3d4e5f',
                type: 'order.created',
                payload: { order_id: 'ord_123', total: 4200 },
                dedup_id: null,
                occurred_at: '2026-11-28T10:00:00.000Z',
                received_at: '2026-11-28T10:00:00.012Z',
              },
            ],
            next_cursor:
              'WyJpbmJveCIsIjc0MSIsIjIwMjYtMTEtMjhUMTA6MDA6MDAuMDEyMDAwWiIsIjAxOTM2ZjBlLTlmNGEtN2MzYi05ZDJlLTVhMWIyYzNkNGU1ZiJd',
            has_more: false,
          }),
        },
        ...problems('InvalidQuery', 'Unauthorized'),
      },
    },
  },
  '/api/inbox/ack': {
    post: {
      summary: 'Acknowledge up to 1,000 events (idempotent)',
      operationId: 'acknowledgeInbox',
      requestBody: {
        required: true,
        content: json('AckRequest', { ids: ['01936f0e-8f4a-7c3b-9d2e-5a1b2c3d4e5f'] }),
      },
      responses: {
        '200': {
          description: 'What changed; ids that are not the caller’s are ignored and listed',
          content: json('AckResult', { acknowledged: 1, unchanged: 0, queued: [], not_found: [] }),
        },
        ...problems('Unauthorized', ...bodyProblems),
      },
    },
  },
};
