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
import type { IngestMetrics } from '../metrics.js';
import type { AmplificationLimiter } from '../rate-limit/amplification-limiter.js';
import { enforceAmplificationLimit } from '../rate-limit/enforce-rate-limit.js';
import {
  countReplayable,
  REPLAY_CHUNK,
  replayDelivery,
  replayDeliveryChunk,
  type ReplayDeps,
} from './replay-deliveries.js';

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
    limit: {
      type: 'integer',
      minimum: 1,
      maximum: REPLAY_CHUNK,
      default: REPLAY_CHUNK,
      description: `The most deliveries this call replays (1–${REPLAY_CHUNK}, default ${REPLAY_CHUNK}).`,
    },
    cursor: {
      type: 'string',
      maxLength: 512,
      description: 'The `next_cursor` of the previous call with the same filter: continue after it.',
    },
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
  limit?: number;
  cursor?: string;
}>(bulkReplaySchema);

const deliveriesCursor = keysetCursor('deliveries');
const replayCursor = keysetCursor('replay');

/** A bulk replay's cursor is part of the body: a bad one is a field problem (422), not a bad query. */
function decodeReplayCursor(cursor: string | undefined) {
  if (cursor === undefined) return undefined;
  try {
    return replayCursor.decode(cursor);
  } catch {
    throw errors.validationFailed([{ pointer: '/cursor', message: 'is not a cursor of a bulk replay' }]);
  }
}

export interface DeliveriesRoutesDeps extends ReplayDeps {
  metrics: IngestMetrics;
  amplificationLimiter: AmplificationLimiter;
}

/** The delivery log and the DLQ: listing, detail, and replays (one or by filter). */
export function deliveriesRoutes(deps: DeliveriesRoutesDeps): Router {
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
    const after = decodeReplayCursor(input.cursor);
    if (input.dry_run) {
      const count = await countReplayable(deps, organizationId, filter, after);
      res.json({ dry_run: true, count, next_cursor: null, has_more: false });
      return;
    }
    // The chunk's size is spent in advance (it cannot pass one window's budget), and what it did not
    // replay is given back: a call costs the deliveries it replays.
    const limit = Math.min(input.limit ?? REPLAY_CHUNK, deps.amplificationLimiter.perMinute);
    await enforceAmplificationLimit(deps.amplificationLimiter, deps.metrics, res, limit);
    let replayed = 0;
    try {
      const chunk = await replayDeliveryChunk(deps, organizationId, filter, after, limit);
      replayed = chunk.replayed;
      res.json({
        dry_run: false,
        count: chunk.replayed,
        next_cursor: chunk.next ? replayCursor.encode(chunk.next) : null,
        has_more: chunk.next !== undefined,
      });
    } finally {
      await deps.amplificationLimiter
        .refund(organizationId, limit - replayed)
        .catch((err: unknown) => deps.log.warn({ err }, 'unused replay budget not given back'));
    }
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
    await enforceAmplificationLimit(deps.amplificationLimiter, deps.metrics, res, 1);
    await replayDelivery(deps, organizationId, id);
    const delivery = await findDelivery(deps.db, organizationId, id);
    if (!delivery) throw errors.notFound('delivery');
    res.status(202).json(toDeliveryJson(delivery));
  });

  return router;
}
