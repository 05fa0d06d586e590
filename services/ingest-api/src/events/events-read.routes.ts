import { Router } from 'express';
import type { Kysely } from 'kysely';
import {
  acknowledgeEvents,
  findEvent,
  listAttempts,
  listEventDeliveries,
  listEvents,
  type Database,
  type EventStatus,
} from '@triggers/db';
import { principalOf } from '../auth/require-api-key.js';
import { queryValidator, validatedDate } from '../http/ajv.js';
import { errors } from '../http/api-error.js';
import { keysetCursor } from '../http/cursor.js';
import { toPage } from '../http/pagination.js';
import { queryParams, querySchema } from '../http/query-params.js';
import { uuidParam } from '../http/uuid-param.js';
import { toDeliveryWithAttemptsJson, toEventJson } from './events.json.js';

export const EVENT_STATUSES = ['queued', 'accepted', 'delivered', 'failed', 'dead'] as const;

export const listEventsQuerySchema = querySchema({
  type: queryParams.type,
  status: { enum: EVENT_STATUSES, description: 'Only events with this status.' },
  from: queryParams.from,
  to: queryParams.to,
  cursor: queryParams.cursor,
  limit: queryParams.limit(),
});

const parseListQuery = queryValidator<{
  type?: string;
  status?: EventStatus;
  from?: string;
  to?: string;
  cursor?: string;
  limit: number;
}>(listEventsQuerySchema);

const eventsCursor = keysetCursor('events');

/** Reading events: `GET /api/events`, `GET /api/events/:id`, and `DELETE /api/events/:id` (acknowledge). */
export function eventsReadRoutes(deps: { db: Kysely<Database> }): Router {
  const router = Router();

  router.get('/events', async (req, res) => {
    const query = parseListQuery(req.query);
    const rows = await listEvents(deps.db, principalOf(res).organizationId, {
      type: query.type,
      status: query.status,
      from: validatedDate(query.from),
      to: validatedDate(query.to),
      after: query.cursor === undefined ? undefined : eventsCursor.decode(query.cursor),
      limit: query.limit + 1,
    });
    res.json(toPage(rows, query.limit, (e) => eventsCursor.encode(e.position), toEventJson));
  });

  router.get('/events/:id', async (req, res) => {
    const organizationId = principalOf(res).organizationId;
    const event = await findEvent(deps.db, organizationId, uuidParam(req.params.id, 'event'));
    if (!event) throw errors.notFound('event');
    const deliveries =
      event.status === 'queued' ? [] : await listEventDeliveries(deps.db, organizationId, event.id);
    const attempts = await listAttempts(
      deps.db,
      organizationId,
      deliveries.map((d) => d.id),
    );
    res.json({
      ...toEventJson(event),
      deliveries: deliveries.map((d) => toDeliveryWithAttemptsJson(d, attempts.get(d.id) ?? [])),
    });
  });

  // Hides the event from the inbox, exactly as POST /api/inbox/ack does; the event stays queryable.
  router.delete('/events/:id', async (req, res) => {
    const id = uuidParam(req.params.id, 'event');
    const outcome = (await acknowledgeEvents(deps.db, principalOf(res).organizationId, [id])).get(id);
    if (outcome === 'queued') {
      throw errors.conflict('event_queued', 'The event is still queued; retry once it is stored.', {
        retryAfterSeconds: 1,
      });
    }
    if (outcome !== 'acknowledged' && outcome !== 'unchanged') throw errors.notFound('event');
    res.status(204).end();
  });

  return router;
}
