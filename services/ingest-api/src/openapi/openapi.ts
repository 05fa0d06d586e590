import { ingestApiConfig } from '../config.js';
import { adminPaths, adminSchemas } from './admin.paths.js';
import { responses, schemas } from './components.js';
import { deliveriesPaths, deliveriesSchemas } from './deliveries.paths.js';
import { endpointsPaths, endpointsSchemas } from './endpoints.paths.js';
import { eventTypesPaths, eventTypesSchemas } from './event-types.paths.js';
import { eventsPaths, eventsSchemas, listEventsOperation } from './events.paths.js';
import { inboxPaths, inboxSchemas } from './inbox.paths.js';
import { createEventOperation, ingestPaths } from './ingest.paths.js';
import { opsPaths } from './ops.paths.js';

/** The OpenAPI 3.1 description of the ingest API, served at /openapi.json; one file per area. */
export const openApiDocument = {
  openapi: '3.1.0',
  info: {
    title: 'Triggers ingest API',
    version: '0.2.0',
    description:
      'Accepts events (202 means durably stored) for delivery to webhook endpoints or pull through an inbox. Errors are RFC 9457 problem documents whose `code` is stable. Listings are keyset-paginated: follow `next_cursor`. Another organization’s ids answer 404, exactly like unknown ones.',
  },
  servers: [{ url: `http://127.0.0.1:${ingestApiConfig.setting('PORT')}` }],
  security: [{ bearerApiKey: [] }, { headerApiKey: [] }],
  components: {
    securitySchemes: {
      bearerApiKey: { type: 'http', scheme: 'bearer', description: 'An organization API key (trg_…).' },
      headerApiKey: { type: 'apiKey', in: 'header', name: 'X-API-Key' },
      adminToken: { type: 'http', scheme: 'bearer', description: 'The deployment ADMIN_TOKEN.' },
    },
    schemas: {
      ...schemas,
      ...eventsSchemas,
      ...inboxSchemas,
      ...endpointsSchemas,
      ...eventTypesSchemas,
      ...deliveriesSchemas,
      ...adminSchemas,
    },
    responses,
  },
  paths: {
    ...withUnavailable({
      '/api/events': { post: createEventOperation, get: listEventsOperation },
      ...ingestPaths,
      ...eventsPaths,
      ...inboxPaths,
      ...endpointsPaths,
      ...eventTypesPaths,
      ...deliveriesPaths,
      ...adminPaths,
    }),
    ...opsPaths,
  },
} as const;

/**
 * Every operation that reads Postgres (all but the ops routes) may answer 503 while it is
 * unreachable; every path with a parameter may answer 400 `invalid_path` when a percent-escape in
 * it does not decode.
 */
function withUnavailable<P extends Record<string, Record<string, { responses: object }>>>(paths: P): P {
  const unavailable = { '503': { $ref: '#/components/responses/Unavailable' } };
  const invalidPath = { '400': { $ref: '#/components/responses/BadRequest' } };
  return Object.fromEntries(
    Object.entries(paths).map(([path, item]) => [
      path,
      Object.fromEntries(
        Object.entries(item).map(([method, op]) => [
          method,
          {
            ...op,
            responses: { ...(path.includes('{') ? invalidPath : {}), ...op.responses, ...unavailable },
          },
        ]),
      ),
    ]),
  ) as P;
}
