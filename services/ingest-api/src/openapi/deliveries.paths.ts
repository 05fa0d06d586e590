import { bulkReplaySchema, listDeliveriesQuerySchema } from '../deliveries/deliveries.routes.js';
import { attemptExample, deliveryExample } from './events.paths.js';
import { bodyProblems, closed, idParam, json, problems, queryParameters } from './helpers.js';

export const deliveriesSchemas = {
  BulkReplayRequest: bulkReplaySchema,
  BulkReplayResult: closed(['dry_run', 'count', 'next_cursor', 'has_more'], {
    dry_run: { type: 'boolean' },
    count: {
      type: 'integer',
      description:
        'Deliveries this call replayed, or (dry run) that a bulk replay from `cursor` on would replay now.',
    },
    next_cursor: {
      type: ['string', 'null'],
      description:
        'Pass as `cursor`, with the same filter, to replay the next chunk; null when none is left.',
    },
    has_more: {
      type: 'boolean',
      description: 'Whether deliveries matching the filter are left after this chunk.',
    },
  }),
};

const replayRules =
  "Only finished deliveries can be replayed: `dead` (the DLQ) or `delivered` (sent again). A replay starts a new run of attempts (status `pending`, attempts 0) under the same delivery id, so receivers deduplicating on `webhook-id` see the same id. Pending or failed deliveries are already scheduled: 409 `replay_conflict`. When Redis is unavailable the replay is undone and the answer is 503 with Retry-After. Replays and test sends spend the organization's budget for amplifying operations (AMPLIFY_RATE_LIMIT_PER_MINUTE deliveries a minute, apart from the ingest limit): past it, 429 with Retry-After and RateLimit-* headers.";

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
      description: `${replayRules} One call replays one chunk: at most \`limit\` (1,000 by default and at most) of the matches, oldest first, committed before its jobs are queued. Follow \`next_cursor\` with the same filter until \`has_more\` is false; the server keeps no state between calls, so a bulk replay survives API restarts and each call is bounded. A call spends its \`limit\` of the budget in advance and gets back what it did not replay. The dry run counts every match from \`cursor\` on and spends nothing.`,
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
        '200': {
          description: 'How many, and where the next chunk starts',
          content: json('BulkReplayResult', {
            dry_run: false,
            count: 1000,
            next_cursor: 'WyJyZXBsYXkiLCIyMDI2LTExLTI4VDA5OjAwOjAwLjAwMDAwMFoiLCIzYjllMWYyYSJd',
            has_more: true,
          }),
        },
        ...problems('Unauthorized', 'NotFound', 'RateLimited', 'Unavailable', ...bodyProblems),
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
        ...problems('Unauthorized', 'NotFound', 'Conflict', 'RateLimited', 'Unavailable'),
      },
    },
  },
};
