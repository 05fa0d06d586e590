import {
  createApiKeySchema,
  createOrganizationSchema,
  updateOrganizationSchema,
} from '../admin/admin.routes.js';
import { json, problems } from './helpers.js';

const idParam = { name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } };
const admin = [{ adminToken: [] }];
const orgExample = {
  id: '5d2c1b0a-9f8e-4d7c-b6a5-948372615a4b',
  name: 'acme',
  rate_limit_per_second: null,
  strict_event_types: false,
  created_at: '2026-11-28T09:00:00.000Z',
};

export const adminSchemas = {
  OrganizationUpdate: updateOrganizationSchema,
};

/** Operators' routes, behind the deployment's ADMIN_TOKEN. */
export const adminPaths = {
  '/admin/organizations': {
    post: {
      summary: 'Create an organization',
      operationId: 'createOrganization',
      security: admin,
      requestBody: {
        required: true,
        content: {
          'application/json': {
            schema: createOrganizationSchema,
            example: { name: 'acme' },
          },
        },
      },
      responses: {
        '201': { description: 'Created', content: json('Organization', orgExample) },
        ...problems(
          'BadRequest',
          'Unauthorized',
          'PayloadTooLarge',
          'UnsupportedMediaType',
          'ValidationFailed',
        ),
      },
    },
  },
  '/admin/organizations/{id}': {
    get: {
      summary: 'Get an organization',
      operationId: 'getOrganization',
      security: admin,
      parameters: [idParam],
      responses: {
        '200': { description: 'The organization', content: json('Organization', orgExample) },
        ...problems('Unauthorized', 'NotFound'),
      },
    },
    patch: {
      summary: 'Change an organization: name, rate limit, strict event types',
      operationId: 'updateOrganization',
      security: admin,
      parameters: [idParam],
      requestBody: { required: true, content: json('OrganizationUpdate', { strict_event_types: true }) },
      responses: {
        '200': {
          description: 'The organization as changed',
          content: json('Organization', { ...orgExample, strict_event_types: true }),
        },
        ...problems(
          'BadRequest',
          'Unauthorized',
          'NotFound',
          'PayloadTooLarge',
          'UnsupportedMediaType',
          'ValidationFailed',
        ),
      },
    },
  },
  '/admin/organizations/{id}/api-keys': {
    post: {
      summary: 'Issue an API key (shown once)',
      operationId: 'createApiKey',
      security: admin,
      parameters: [idParam],
      requestBody: {
        content: {
          'application/json': {
            schema: createApiKeySchema,
            example: { name: 'ci' },
          },
        },
      },
      responses: {
        '201': {
          description: 'Created; `key` is never shown again',
          content: json('ApiKey', {
            id: '7a6b5c4d-3e2f-4a1b-8c9d-0e1f2a3b4c5d',
            organization_id: orgExample.id,
            name: 'ci',
            prefix: 'trg_Ab3dE9',
            created_at: '2026-11-28T09:00:00.000Z',
            revoked_at: null,
            key: 'trg_Ab3dE9xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
          }),
        },
        ...problems('BadRequest', 'Unauthorized', 'NotFound', 'UnsupportedMediaType', 'ValidationFailed'),
      },
    },
    get: {
      summary: 'List the API keys of an organization (without the keys)',
      operationId: 'listApiKeys',
      security: admin,
      parameters: [idParam],
      responses: {
        '200': {
          description: 'The keys',
          content: {
            'application/json': {
              schema: {
                type: 'object',
                required: ['data'],
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
      security: admin,
      parameters: [idParam],
      responses: {
        '200': {
          description: 'Revoked',
          content: {
            'application/json': {
              schema: {
                type: 'object',
                required: ['id', 'revoked'],
                properties: { id: { type: 'string' }, revoked: { const: true } },
              },
            },
          },
        },
        ...problems('Unauthorized', 'NotFound'),
      },
    },
  },
};
