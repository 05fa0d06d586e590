import { Router } from 'express';
import {
  findDelivery,
  findEndpoint,
  listAttempts,
  listDeliveries,
  REPLAYABLE_STATUSES,
  type DeliveryStatus,
  type ReplayableStatus,
} from '@triggers/db';
import { principalOf } from '../auth/require-api-key.js';
import { bodyValidator, queryValidator, validatedDate } from '../http/ajv.js';
import { errors } from '../http/api-error.js';
import { keysetCursor } from '../http/cursor.js';
import { jsonBody } from '../http/json-body.js';
import { toPage } from '../http/pagination.js';
import { queryParams, querySchema } from '../http/query-params.js';
import { uuidParam, uuidSchema } from '../http/uuid-param.js';
import { toDeliveryJson, toDeliveryWithAttemptsJson } from '../events/events.json.js';
import { countReplayable, replayDeliveries, replayDelivery, type ReplayDeps } from './replay-deliveries.js';

export const DELIVERY_STATUSES = ['pending', 'failed', 'delivered', 'dead'] as const;

export const listDeliveriesQuerySchema = querySchema({
  status: { enum: DELIVERY_STATUSES, description: 'Only deliveries with this status (`dead`: the DLQ).' },
  endpoint_id: queryParams.uuid('Only deliveries to this endpoint.'),
  event_id: queryParams.uuid('Only deliveries of this event.'),
  from: queryParams.from,
  to: queryParams.to,
  cursor: queryParams.cursor,
  limit: queryParams.limit(),
});

export const bulkReplaySchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    status: {
      enum: REPLAYABLE_STATUSES,
      default: 'dead',
      description: 'Which finished deliveries to replay (default `dead`).',
    },
    endpoint_id: { ...uuidSchema, description: 'Only deliveries to this endpoint.' },
    from: { ...queryParams.from, description: 'Deliveries created at or after this time.' },
    to: { ...queryParams.to, description: 'Deliveries created before this time.' },
    dry_run: { type: 'boolean', default: false, description: 'Only count what would be replayed.' },
  },
} as const;

const parseListQuery = queryValidator<{
  status?: DeliveryStatus;
  endpoint_id?: string;
  event_id?: string;
  from?: string;
  to?: string;
  cursor?: string;
  limit: number;
}>(listDeliveriesQuerySchema);

const parseBulkReplay = bodyValidator<{
  status?: ReplayableStatus;
  endpoint_id?: string;
  from?: string;
  to?: string;
  dry_run?: boolean;
}>(bulkReplaySchema);

const deliveriesCursor = keysetCursor('deliveries');

/** The delivery log and the DLQ: listing, detail, and replays (one or by filter). */
export function deliveriesRoutes(deps: ReplayDeps): Router {
  const router = Router();

  /** A filter naming another organization's endpoint is a 404, like any other of its ids. */
  async function requireOwnEndpoint(organizationId: string, endpointId: string | undefined) {
    if (endpointId === undefined) return undefined;
    const id = endpointId.toLowerCase();
    if (!(await findEndpoint(deps.db, organizationId, id))) throw errors.notFound('endpoint');
    return id;
  }

  router.get('/deliveries', async (req, res) => {
    const query = parseListQuery(req.query);
    const organizationId = principalOf(res).organizationId;
    const rows = await listDeliveries(deps.db, organizationId, {
      status: query.status,
      endpointId: await requireOwnEndpoint(organizationId, query.endpoint_id),
      eventId: query.event_id?.toLowerCase(),
      from: validatedDate(query.from),
      to: validatedDate(query.to),
      after: query.cursor === undefined ? undefined : deliveriesCursor.decode(query.cursor),
      limit: query.limit + 1,
    });
    res.json(toPage(rows, query.limit, (d) => deliveriesCursor.encode(d.position), toDeliveryJson));
  });

  // Declared before /deliveries/:id/... so that "replay" is never taken for an id.
  router.post('/deliveries/replay', ...jsonBody(16 * 1024), async (req, res) => {
    const input = parseBulkReplay(req.body);
    const organizationId = principalOf(res).organizationId;
    const filter = {
      status: input.status ?? 'dead',
      endpointId: await requireOwnEndpoint(organizationId, input.endpoint_id),
      from: validatedDate(input.from),
      to: validatedDate(input.to),
    };
    const count = input.dry_run
      ? await countReplayable(deps, organizationId, filter)
      : await replayDeliveries(deps, organizationId, filter);
    res.json({ dry_run: input.dry_run ?? false, count });
  });

  router.get('/deliveries/:id', async (req, res) => {
    const organizationId = principalOf(res).organizationId;
    const delivery = await findDelivery(deps.db, organizationId, uuidParam(req.params.id, 'delivery'));
    if (!delivery) throw errors.notFound('delivery');
    const attempts = await listAttempts(deps.db, organizationId, [delivery.id]);
    res.json(toDeliveryWithAttemptsJson(delivery, attempts.get(delivery.id) ?? []));
  });

  router.post('/deliveries/:id/replay', async (req, res) => {
    const organizationId = principalOf(res).organizationId;
    const id = uuidParam(req.params.id, 'delivery');
    await replayDelivery(deps, organizationId, id);
    const delivery = await findDelivery(deps.db, organizationId, id);
    if (!delivery) throw errors.notFound('delivery');
    res.status(202).json(toDeliveryJson(delivery));
  });

  return router;
}
