import { json } from './helpers.js';

export const opsPaths = {
  '/healthz': {
    get: {
      summary: 'Liveness',
      security: [],
      responses: {
        '200': {
          description: 'The process answers',
          content: {
            'application/json': {
              schema: { type: 'object', required: ['status'], properties: { status: { const: 'ok' } } },
            },
          },
        },
      },
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
    get: {
      summary: 'This document',
      security: [],
      responses: {
        '200': {
          description: 'OpenAPI 3.1',
          content: { 'application/json': { schema: { type: 'object' } } },
        },
      },
    },
  },
};
