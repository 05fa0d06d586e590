import {
  createEventTypeSchema,
  listEventTypesQuerySchema,
  updateEventTypeSchema,
} from '../event-types/event-types.routes.js';
import { bodyProblems, closed, json, page, problems, queryParameters, timestamp } from './helpers.js';

const eventTypeProperties = {
  name: { type: 'string' },
  description: { type: ['string', 'null'] },
  schema: { type: ['object', 'null'] },
  created_at: timestamp,
  updated_at: timestamp,
};

const schemaExample = {
  type: 'object',
  required: ['order_id', 'total'],
  properties: { order_id: { type: 'string' }, total: { type: 'integer', minimum: 0 } },
};
const eventTypeExample = {
  name: 'order.created',
  description: 'An order was placed',
  schema: schemaExample,
  created_at: '2026-11-28T09:00:00.000Z',
  updated_at: '2026-11-28T09:00:00.000Z',
};

export const eventTypesSchemas = {
  EventType: closed(Object.keys(eventTypeProperties), eventTypeProperties),
  EventTypePage: page('EventType'),
  EventTypeCreate: createEventTypeSchema,
  EventTypeUpdate: updateEventTypeSchema,
};

const nameParam = {
  name: 'name',
  in: 'path',
  required: true,
  description: 'The type’s name, e.g. `order.created`.',
  schema: { type: 'string' },
};

const schemaRules =
  'From then on, POST /api/events refuses payloads of the type that do not match the schema: 422 with the first ajv error (validation stops there, so that its cost stays bounded) as a JSON pointer into the event. The change reaches every ingest instance at once (broadcast through Redis) or, if Redis is down, within EVENT_TYPE_CACHE_TTL_MS. Unregistered types stay accepted unless the organization is in strict mode (PATCH /admin/organizations/{id} `strict_event_types`). Schemas are compiled when registered; one that does not compile, references anything outside itself, exceeds the size bounds, uses a pattern that cannot be matched in linear time (backreferences, lookaround) or an unknown format (formats are matched in linear time too), or may cost more checks per payload value than a bound allows (4,096 for the payload itself, 256 for each value inside it; anyOf/oneOf/allOf branches and references multiply, `required` names, `enum` values and patterns add) is refused with 422 `invalid_schema`, each problem pointing at its place in the schema.';

export const eventTypesPaths = {
  '/api/event-types': {
    post: {
      summary: 'Register an event type, optionally with a JSON Schema for its payloads',
      description: schemaRules,
      operationId: 'createEventType',
      requestBody: {
        required: true,
        content: json('EventTypeCreate', {
          name: 'order.created',
          description: 'An order was placed',
          schema: schemaExample,
        }),
      },
      responses: {
        '201': { description: 'Registered', content: json('EventType', eventTypeExample) },
        ...problems('Unauthorized', 'Conflict', ...bodyProblems),
      },
    },
    get: {
      summary: 'List registered event types by name',
      operationId: 'listEventTypes',
      parameters: queryParameters(listEventTypesQuerySchema),
      responses: {
        '200': {
          description: 'A page of event types',
          content: json('EventTypePage', { data: [eventTypeExample], next_cursor: null, has_more: false }),
        },
        ...problems('InvalidQuery', 'Unauthorized'),
      },
    },
  },
  '/api/event-types/{name}': {
    get: {
      summary: 'Get an event type',
      operationId: 'getEventType',
      parameters: [nameParam],
      responses: {
        '200': { description: 'The event type', content: json('EventType', eventTypeExample) },
        ...problems('Unauthorized', 'NotFound'),
      },
    },
    patch: {
      summary: 'Change an event type’s description or schema (null removes the schema)',
      description: schemaRules,
      operationId: 'updateEventType',
      parameters: [nameParam],
      requestBody: { required: true, content: json('EventTypeUpdate', { schema: null }) },
      responses: {
        '200': { description: 'The event type as changed', content: json('EventType', eventTypeExample) },
        ...problems('Unauthorized', 'NotFound', ...bodyProblems),
      },
    },
    delete: {
      summary: 'Unregister an event type (its schema no longer applies)',
      operationId: 'deleteEventType',
      parameters: [nameParam],
      responses: { '204': { description: 'Unregistered' }, ...problems('Unauthorized', 'NotFound') },
    },
  },
};
