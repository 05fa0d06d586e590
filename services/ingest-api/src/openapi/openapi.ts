import { responses, schemas } from './components.js';

const json = (ref: string) => ({ 'application/json': { schema: { $ref: `#/components/schemas/${ref}` } } });
const problems = (...names: string[]) =>
  Object.fromEntries(
    names.map((n) => [
      {
        BadRequest: '400',
        Unauthorized: '401',
        NotFound: '404',
        PayloadTooLarge: '413',
        UnsupportedMediaType: '415',
        ValidationFailed: '422',
        RateLimited: '429',
        Unavailable: '503',
      }[n]!,
      { $ref: `#/components/responses/${n}` },
    ]),
  );
const idParam = (name: string) => ({
  name,
  in: 'path',
  required: true,
  schema: { type: 'string', format: 'uuid' },
});

/** The OpenAPI 3.1 description of the ingest API, served at /openapi.json. */
export const openApiDocument = {
  openapi: '3.1.0',
  info: {
    title: 'Triggers ingest API',
    version: '0.1.0',
    description:
      'Accepts events (202 means durably stored) for delivery to webhook endpoints or pull through an inbox.',
  },
  servers: [{ url: 'http://127.0.0.1:4000' }],
  security: [{ bearerApiKey: [] }, { headerApiKey: [] }],
  components: {
    securitySchemes: {
      bearerApiKey: { type: 'http', scheme: 'bearer', description: 'An organization API key (trg_…).' },
      headerApiKey: { type: 'apiKey', in: 'header', name: 'X-API-Key' },
      adminToken: { type: 'http', scheme: 'bearer', description: 'The deployment ADMIN_TOKEN.' },
    },
    schemas,
    responses,
  },
  paths: {
    '/api/events': {
      post: {
        summary: 'Send one event',
        operationId: 'createEvent',
        requestBody: { required: true, content: json('EventEnvelope') },
        responses: {
          '202': {
            description: 'Committed to the queue',
            headers: { Location: { schema: { type: 'string' } } },
            content: json('EventAccepted'),
          },
          '200': {
            description: 'Duplicate of an event already queued or stored (same dedup_id)',
            content: json('EventAccepted'),
          },
          ...problems(
            'BadRequest',
            'Unauthorized',
            'PayloadTooLarge',
            'UnsupportedMediaType',
            'ValidationFailed',
            'RateLimited',
            'Unavailable',
          ),
        },
      },
    },
    '/api/events/batch': {
      post: {
        summary: 'Send up to 1,000 events; valid ones are stored in one statement',
        operationId: 'createEventBatch',
        requestBody: { required: true, content: json('EventBatch') },
        responses: {
          '202': { description: 'Every event accepted (or a duplicate)', content: json('BatchResult') },
          '207': {
            description: 'Some events accepted, some rejected: see each result',
            content: json('BatchResult'),
          },
          ...problems(
            'BadRequest',
            'Unauthorized',
            'PayloadTooLarge',
            'UnsupportedMediaType',
            'ValidationFailed',
            'RateLimited',
            'Unavailable',
          ),
        },
      },
    },
    '/admin/organizations': {
      post: {
        summary: 'Create an organization',
        operationId: 'createOrganization',
        security: [{ adminToken: [] }],
        requestBody: {
          required: true,
          content: {
            'application/json': {
              schema: {
                type: 'object',
                required: ['name'],
                properties: {
                  name: { type: 'string' },
                  rate_limit_per_second: { type: 'integer' },
                  strict_event_types: { type: 'boolean' },
                },
              },
              example: { name: 'acme' },
            },
          },
        },
        responses: {
          '201': { description: 'Created', content: json('Organization') },
          ...problems('BadRequest', 'Unauthorized', 'UnsupportedMediaType', 'ValidationFailed'),
        },
      },
    },
    '/admin/organizations/{id}': {
      get: {
        summary: 'Get an organization',
        operationId: 'getOrganization',
        security: [{ adminToken: [] }],
        parameters: [idParam('id')],
        responses: {
          '200': { description: 'The organization', content: json('Organization') },
          ...problems('Unauthorized', 'NotFound'),
        },
      },
    },
    '/admin/organizations/{id}/api-keys': {
      post: {
        summary: 'Issue an API key (shown once)',
        operationId: 'createApiKey',
        security: [{ adminToken: [] }],
        parameters: [idParam('id')],
        requestBody: {
          content: {
            'application/json': { schema: { type: 'object', properties: { name: { type: 'string' } } } },
          },
        },
        responses: {
          '201': { description: 'Created; `key` is never shown again', content: json('ApiKey') },
          ...problems('Unauthorized', 'NotFound', 'ValidationFailed'),
        },
      },
      get: {
        summary: 'List the API keys of an organization (without the keys)',
        operationId: 'listApiKeys',
        security: [{ adminToken: [] }],
        parameters: [idParam('id')],
        responses: {
          '200': {
            description: 'The keys',
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  properties: { data: { type: 'array', items: { $ref: '#/components/schemas/ApiKey' } } },
                },
              },
            },
          },
          ...problems('Unauthorized', 'NotFound'),
        },
      },
    },
    '/admin/api-keys/{id}/revoke': {
      post: {
        summary: 'Revoke an API key',
        operationId: 'revokeApiKey',
        security: [{ adminToken: [] }],
        parameters: [idParam('id')],
        responses: {
          '200': {
            description: 'Revoked',
            content: {
              'application/json': {
                schema: { type: 'object', properties: { id: { type: 'string' }, revoked: { const: true } } },
              },
            },
          },
          ...problems('Unauthorized', 'NotFound'),
        },
      },
    },
    '/healthz': {
      get: {
        summary: 'Liveness',
        security: [],
        responses: { '200': { description: 'The process answers' } },
      },
    },
    '/readyz': {
      get: {
        summary: 'Readiness: Postgres answers and the instance is not draining',
        security: [],
        responses: {
          '200': { description: 'Ready', content: json('Readiness') },
          '503': { description: 'Not ready', content: json('Readiness') },
        },
      },
    },
    '/openapi.json': {
      get: { summary: 'This document', security: [], responses: { '200': { description: 'OpenAPI 3.1' } } },
    },
  },
} as const;
