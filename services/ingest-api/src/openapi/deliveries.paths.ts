import { bulkReplaySchema, listDeliveriesQuerySchema } from '../deliveries/deliveries.routes.js';
import { attemptExample, deliveryExample } from './events.paths.js';
import { bodyProblems, closed, idParam, json, problems, queryParameters } from './helpers.js';

export const deliveriesSchemas = {
  BulkReplayRequest: bulkReplaySchema,
  BulkReplayResult: closed(['dry_run', 'count'], {
    dry_run: { type: 'boolean' },
    count: { type: 'integer', description: 'Deliveries replayed, or that would be replayed (dry run).' },
  }),
};

const replayRules =
  'Only finished deliveries can be replayed: `dead` (the DLQ) or `delivered` (sent again). A replay starts a new run of attempts (status `pending`, attempts 0) under the same delivery id, so receivers deduplicating on `webhook-id` see the same id. Pending or failed deliveries are already scheduled: 409 `replay_conflict`. When Redis is unavailable the replay is undone and the answer is 503 with Retry-After.';

export const deliveriesPaths = {
  '/api/deliveries': {
    get: {
      summary: 'List deliveries, newest first: filter by status (`dead` is the DLQ), endpoint, event, time',
      operationId: 'listDeliveries',
      parameters: queryParameters(listDeliveriesQuerySchema),
      responses: {
        '200': {
          description: 'A page of deliveries',
          content: json('DeliveryPage', { data: [deliveryExample], next_cursor: null, has_more: false }),
        },
        ...problems('InvalidQuery', 'Unauthorized', 'NotFound'),
      },
    },
  },
  '/api/deliveries/replay': {
    post: {
      summary: 'Replay every finished delivery matching a filter, or count them (dry run)',
      description: `${replayRules} Works through the matches 1,000 at a time, each chunk committed before its jobs are queued.`,
      operationId: 'replayDeliveries',
      requestBody: {
        required: true,
        content: json('BulkReplayRequest', {
          status: 'dead',
          endpoint_id: deliveryExample.endpoint_id,
          dry_run: true,
        }),
      },
      responses: {
        '200': { description: 'How many', content: json('BulkReplayResult', { dry_run: true, count: 42 }) },
        ...problems('Unauthorized', 'NotFound', 'Unavailable', ...bodyProblems),
      },
    },
  },
  '/api/deliveries/{id}': {
    get: {
      summary: 'A delivery with every attempt',
      operationId: 'getDelivery',
      parameters: [idParam('id')],
      responses: {
        '200': {
          description: 'The delivery',
          content: json('DeliveryWithAttempts', { ...deliveryExample, attempt_history: [attemptExample] }),
        },
        ...problems('Unauthorized', 'NotFound'),
      },
    },
  },
  '/api/deliveries/{id}/replay': {
    post: {
      summary: 'Replay one delivery',
      description: replayRules,
      operationId: 'replayDelivery',
      parameters: [idParam('id')],
      responses: {
        '202': {
          description: 'Reset and queued',
          content: json('Delivery', {
            ...deliveryExample,
            status: 'pending',
            attempts: 0,
            last_status_code: null,
          }),
        },
        ...problems('Unauthorized', 'NotFound', 'Conflict', 'Unavailable'),
      },
    },
  },
};
