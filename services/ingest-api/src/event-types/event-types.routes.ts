import { Router } from 'express';
import type { Kysely } from 'kysely';
import {
  deleteEventType,
  findEventType,
  insertEventType,
  listEventTypes,
  updateEventType,
  type Database,
  type EventTypeUpdate,
} from '@triggers/db';
import { principalOf } from '../auth/require-api-key.js';
import { EVENT_TYPE_PATTERN } from '../events/event-envelope.js';
import { bodyValidator, queryValidator } from '../http/ajv.js';
import { errors } from '../http/api-error.js';
import { nameCursor } from '../http/cursor.js';
import { jsonBody } from '../http/json-body.js';
import { toPage } from '../http/pagination.js';
import { queryParams, querySchema } from '../http/query-params.js';
import type { EventTypeChanges } from './event-type-changes.js';
import { toEventTypeJson } from './event-types.json.js';
import { compileUserSchema } from './user-schema.js';

const nameSchema = { type: 'string', minLength: 1, maxLength: 128, pattern: EVENT_TYPE_PATTERN } as const;
const schemaField = {
  type: ['object', 'null'],
  description:
    'JSON Schema (draft 2020-12, or draft-07 when `$schema` says so) that payloads of this type must match; null accepts any object.',
} as const;
const descriptionField = { type: ['string', 'null'], maxLength: 500 } as const;

export const createEventTypeSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['name'],
  properties: { name: nameSchema, description: descriptionField, schema: schemaField },
} as const;

export const updateEventTypeSchema = {
  type: 'object',
  additionalProperties: false,
  minProperties: 1,
  properties: { description: descriptionField, schema: schemaField },
} as const;

export const listEventTypesQuerySchema = querySchema({
  cursor: queryParams.cursor,
  limit: queryParams.limit(),
});

type SchemaValue = Record<string, unknown> | null;
const parseCreate = bodyValidator<{ name: string; description?: string | null; schema?: SchemaValue }>(
  createEventTypeSchema,
);
const parseUpdate = bodyValidator<{ description?: string | null; schema?: SchemaValue }>(
  updateEventTypeSchema,
);
const parseListQuery = queryValidator<{ cursor?: string; limit: number }>(listEventTypesQuerySchema);
const NAME = new RegExp(EVENT_TYPE_PATTERN);

/** A schema is compiled when registered, so that a broken one is refused now rather than at ingest. */
function checkSchema(schema: SchemaValue | undefined): void {
  if (!schema) return;
  const result = compileUserSchema(schema);
  if (!result.ok) throw errors.invalidSchema(result.problems);
}

function nameParam(value: unknown): string {
  if (typeof value !== 'string' || value.length > 128 || !NAME.test(value))
    throw errors.notFound('event type');
  return value;
}

/** Registered event types and their schemas; every change is broadcast to the ingest instances. */
export function eventTypesRoutes(deps: { db: Kysely<Database>; eventTypeChanges: EventTypeChanges }): Router {
  const router = Router();
  const body = jsonBody(128 * 1024);

  router.post('/event-types', ...body, async (req, res) => {
    const input = parseCreate(req.body);
    checkSchema(input.schema);
    const organizationId = principalOf(res).organizationId;
    const created = await insertEventType(deps.db, {
      organizationId,
      name: input.name,
      description: input.description ?? null,
      schema: input.schema ?? null,
    });
    if (!created) {
      throw errors.conflict('event_type_exists', `The event type "${input.name}" is already registered.`);
    }
    await deps.eventTypeChanges.publish(organizationId, created.name);
    res.status(201).location(`/api/event-types/${created.name}`).json(toEventTypeJson(created));
  });

  router.get('/event-types', async (req, res) => {
    const query = parseListQuery(req.query);
    const rows = await listEventTypes(deps.db, principalOf(res).organizationId, {
      afterName: query.cursor === undefined ? undefined : nameCursor.decode(query.cursor),
      limit: query.limit + 1,
    });
    res.json(toPage(rows, query.limit, (t) => nameCursor.encode(t.name), toEventTypeJson));
  });

  router.get('/event-types/:name', async (req, res) => {
    const type = await findEventType(deps.db, principalOf(res).organizationId, nameParam(req.params.name));
    if (!type) throw errors.notFound('event type');
    res.json(toEventTypeJson(type));
  });

  router.patch('/event-types/:name', ...body, async (req, res) => {
    const name = nameParam(req.params.name);
    const input = parseUpdate(req.body);
    checkSchema(input.schema);
    const organizationId = principalOf(res).organizationId;
    const changes: EventTypeUpdate = {
      ...(input.description !== undefined && { description: input.description }),
      ...(input.schema !== undefined && { schema: input.schema }),
    };
    const updated = await updateEventType(deps.db, organizationId, name, changes);
    if (!updated) throw errors.notFound('event type');
    await deps.eventTypeChanges.publish(organizationId, name);
    res.json(toEventTypeJson(updated));
  });

  router.delete('/event-types/:name', async (req, res) => {
    const name = nameParam(req.params.name);
    const organizationId = principalOf(res).organizationId;
    if (!(await deleteEventType(deps.db, organizationId, name))) throw errors.notFound('event type');
    await deps.eventTypeChanges.publish(organizationId, name);
    res.status(204).end();
  });

  return router;
}
