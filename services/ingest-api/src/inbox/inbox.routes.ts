import { Router } from 'express';
import type { Kysely } from 'kysely';
import { acknowledgeEvents, listInbox, type Database } from '@triggers/db';
import { principalOf } from '../auth/require-api-key.js';
import { bodyValidator, queryValidator } from '../http/ajv.js';
import { inboxCursor } from '../http/cursor.js';
import { jsonBody } from '../http/json-body.js';
import { queryParams, querySchema } from '../http/query-params.js';
import { uuidSchema } from '../http/uuid-param.js';
import { toInboxEventJson } from '../events/events.json.js';

export const MAX_ACK_IDS = 1000;

export const inboxQuerySchema = querySchema({
  type: queryParams.type,
  cursor: queryParams.cursor,
  limit: queryParams.limit(),
});

export const ackRequestSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['ids'],
  properties: {
    ids: {
      type: 'array',
      minItems: 1,
      maxItems: MAX_ACK_IDS,
      items: uuidSchema,
    },
  },
} as const;

const parseInboxQuery = queryValidator<{ type?: string; cursor?: string; limit: number }>(inboxQuerySchema);
const parseAck = bodyValidator<{ ids: string[] }>(ackRequestSchema);

/** The pull alternative to webhooks: `GET /api/inbox` and `POST /api/inbox/ack`. */
export function inboxRoutes(deps: { db: Kysely<Database> }): Router {
  const router = Router();

  router.get('/inbox', async (req, res) => {
    const query = parseInboxQuery(req.query);
    const after = query.cursor === undefined ? undefined : inboxCursor.decode(query.cursor);
    const rows = await listInbox(deps.db, principalOf(res).organizationId, {
      type: query.type,
      after,
      limit: query.limit + 1,
    });
    const shown = rows.slice(0, query.limit);
    const last = shown.at(-1);
    // The cursor always points after the last event seen, even on the last page: a consumer keeps
    // it and polls with it, and gets exactly the events stored since.
    res.json({
      data: shown.map(toInboxEventJson),
      next_cursor: last ? inboxCursor.encode(last.position) : (query.cursor ?? null),
      has_more: rows.length > query.limit,
    });
  });

  router.post('/inbox/ack', ...jsonBody(64 * 1024), async (req, res) => {
    const ids = [...new Set(parseAck(req.body).ids.map((id) => id.toLowerCase()))];
    const outcomes = await acknowledgeEvents(deps.db, principalOf(res).organizationId, ids);
    const idsWith = (outcome: string) => ids.filter((id) => outcomes.get(id) === outcome);
    res.json({
      acknowledged: idsWith('acknowledged').length,
      unchanged: idsWith('unchanged').length,
      queued: idsWith('queued'),
      not_found: idsWith('not_found'),
    });
  });

  return router;
}
