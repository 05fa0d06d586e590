import { createEndpointSchema, updateEndpointSchema } from '../endpoints/endpoint-input.js';
import { listEndpointsQuerySchema } from '../endpoints/endpoints.routes.js';
import {
  bodyProblems,
  closed,
  idParam,
  json,
  nullableTimestamp,
  page,
  problems,
  queryParameters,
  timestamp,
  uuid,
} from './helpers.js';

const ENDPOINT_ID = '3b9e1f2a-7c4d-4e5f-a6b7-c8d9e0f1a2b3';

const endpointProperties = {
  id: uuid,
  url: { type: 'string' },
  description: { type: ['string', 'null'] },
  event_types: { type: 'array', items: { type: 'string' } },
  enabled: { type: 'boolean' },
  disabled_reason: {
    type: ['string', 'null'],
    description:
      'Why Triggers disabled the endpoint (e.g. 410 Gone); null when a person did or it is enabled.',
  },
  headers: { type: 'object', additionalProperties: { type: 'string' } },
  max_attempts: { type: ['integer', 'null'] },
  timeout_ms: { type: ['integer', 'null'] },
  previous_secret_expires_at: {
    ...nullableTimestamp,
    description: 'Until then the secret replaced by the last rotation still signs, alongside the new one.',
  },
  failing_since: nullableTimestamp,
  created_at: timestamp,
  updated_at: timestamp,
};

const endpointExample = {
  id: ENDPOINT_ID,
  url: 'https://example.com/webhooks/triggers',
  description: 'orders service',
  event_types: ['order.*'],
  enabled: true,
  disabled_reason: null,
  headers: { 'x-team': 'orders' },
  max_attempts: null,
  timeout_ms: 5000,
  previous_secret_expires_at: null,
  failing_since: null,
  created_at: '2026-11-28T09:00:00.000Z',
  updated_at: '2026-11-28T09:00:00.000Z',
};
const secretExample = { ...endpointExample, secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw' };

export const endpointsSchemas = {
  Endpoint: closed(Object.keys(endpointProperties), endpointProperties),
  EndpointWithSecret: closed([...Object.keys(endpointProperties), 'secret'], {
    ...endpointProperties,
    secret: {
      type: 'string',
      pattern: '^whsec_',
      description: 'The signing secret: shown only when created and when rotated.',
    },
  }),
  EndpointPage: page('Endpoint'),
  EndpointCreate: createEndpointSchema,
  EndpointUpdate: updateEndpointSchema,
  EndpointStats: closed(['endpoint_id', 'deliveries', 'last_success_at', 'last_failure', 'circuit'], {
    endpoint_id: uuid,
    deliveries: closed(['pending', 'failed', 'delivered', 'dead'], {
      pending: { type: 'integer' },
      failed: { type: 'integer' },
      delivered: { type: 'integer' },
      dead: { type: 'integer' },
    }),
    last_success_at: nullableTimestamp,
    last_failure: {
      oneOf: [
        { type: 'null' },
        closed(['at', 'status_code', 'error'], {
          at: timestamp,
          status_code: { type: ['integer', 'null'] },
          error: { type: ['string', 'null'] },
        }),
      ],
    },
    circuit: closed(
      ['state'],
      {
        state: { enum: ['closed', 'open', 'half_open', 'unknown'] },
        consecutive_failures: { type: 'integer' },
        open_until: nullableTimestamp,
        failing_since: nullableTimestamp,
      },
      'The circuit breaker shared by the deliverers; `unknown` while Redis is unreachable.',
    ),
  }),
  TestEventResult: closed(['event_id', 'delivery_id', 'queued'], {
    event_id: uuid,
    delivery_id: uuid,
    queued: {
      type: 'boolean',
      description:
        'False when Redis was unavailable: the delivery is stored and queued by the sweeper later.',
    },
  }),
};

const endpointResponse = (description: string) => ({
  description,
  content: json('Endpoint', endpointExample),
});

export const endpointsPaths = {
  '/api/endpoints': {
    post: {
      summary: 'Create a webhook endpoint; the answer shows its secret, once',
      description:
        'The URL must be http(s), without credentials, and (unless the deployment allows private targets) resolve only to public addresses; otherwise 422 `webhook_url_refused` with the reason (never the address a name resolved to). The URL is stored and shown in its WHATWG-normalized form. An organization has at most MAX_ENDPOINTS_PER_ORGANIZATION endpoints (100 by default): past that, 409 `endpoint_limit_reached`.',
      operationId: 'createEndpoint',
      requestBody: {
        required: true,
        content: json('EndpointCreate', {
          url: 'https://example.com/webhooks/triggers',
          event_types: ['order.*'],
          description: 'orders service',
        }),
      },
      responses: {
        '201': { description: 'Created', content: json('EndpointWithSecret', secretExample) },
        ...problems('Unauthorized', 'Conflict', ...bodyProblems),
      },
    },
    get: {
      summary: 'List endpoints, oldest first',
      operationId: 'listEndpoints',
      parameters: queryParameters(listEndpointsQuerySchema),
      responses: {
        '200': {
          description: 'A page of endpoints',
          content: json('EndpointPage', { data: [endpointExample], next_cursor: null, has_more: false }),
        },
        ...problems('InvalidQuery', 'Unauthorized'),
      },
    },
  },
  '/api/endpoints/{id}': {
    get: {
      summary: 'Get an endpoint (without its secret)',
      operationId: 'getEndpoint',
      parameters: [idParam('id')],
      responses: { '200': endpointResponse('The endpoint'), ...problems('Unauthorized', 'NotFound') },
    },
    patch: {
      summary: 'Change an endpoint: url, filter, enabled, description, headers, retries, timeout',
      operationId: 'updateEndpoint',
      parameters: [idParam('id')],
      requestBody: { required: true, content: json('EndpointUpdate', { enabled: false }) },
      responses: {
        '200': endpointResponse('The endpoint as changed'),
        ...problems('Unauthorized', 'NotFound', ...bodyProblems),
      },
    },
    delete: {
      summary: 'Delete an endpoint and its deliveries',
      operationId: 'deleteEndpoint',
      parameters: [idParam('id')],
      responses: { '204': { description: 'Deleted' }, ...problems('Unauthorized', 'NotFound') },
    },
  },
  '/api/endpoints/{id}/rotate-secret': {
    post: {
      summary: 'Replace the signing secret; the old one keeps signing for a grace period',
      description:
        'During the grace period (ENDPOINT_SECRET_ROTATION_GRACE_HOURS, 24 h by default) deliveries carry one signature per secret, so receivers can switch at their pace.',
      operationId: 'rotateEndpointSecret',
      parameters: [idParam('id')],
      responses: {
        '200': {
          description: 'The endpoint with its new secret (shown this once)',
          content: json('EndpointWithSecret', {
            ...secretExample,
            previous_secret_expires_at: '2026-11-29T09:00:00.000Z',
          }),
        },
        ...problems('Unauthorized', 'NotFound'),
      },
    },
  },
  '/api/endpoints/{id}/stats': {
    get: {
      summary: 'Deliveries by outcome, last success and failure, circuit state',
      operationId: 'getEndpointStats',
      parameters: [idParam('id')],
      responses: {
        '200': {
          description: 'The statistics',
          content: json('EndpointStats', {
            endpoint_id: ENDPOINT_ID,
            deliveries: { pending: 2, failed: 1, delivered: 1520, dead: 3 },
            last_success_at: '2026-11-28T10:00:00.120Z',
            last_failure: { at: '2026-11-28T09:58:01.000Z', status_code: 502, error: 'HTTP 502' },
            circuit: { state: 'closed', consecutive_failures: 0, open_until: null, failing_since: null },
          }),
        },
        ...problems('Unauthorized', 'NotFound'),
      },
    },
  },
  '/api/endpoints/{id}/test': {
    post: {
      summary: 'Send a test event to this endpoint through the normal delivery pipeline',
      description:
        "Stores an event of type `triggers.endpoint.test` (already acknowledged, so it stays out of the inbox) with one delivery to this endpoint only, and queues it for the deliverer. Follow it with GET /api/events/{event_id}. Each test send costs 1 of the organization's budget for amplifying operations (AMPLIFY_RATE_LIMIT_PER_MINUTE, shared with replays): past it, 429 with Retry-After.",
      operationId: 'sendTestEvent',
      parameters: [idParam('id')],
      responses: {
        '202': {
          description: 'Stored and queued',
          headers: { Location: { schema: { type: 'string' } } },
          content: json('TestEventResult', {
            event_id: '01936f0e-8f4a-7c3b-9d2e-5a1b2c3d4e5f',
            delivery_id: '6f1c2d3e-4b5a-4c6d-8e7f-9a0b1c2d3e4f',
            queued: true,
          }),
        },
        ...problems('Unauthorized', 'NotFound', 'Conflict', 'RateLimited'),
      },
    },
  },
};
