import { Router } from 'express';
import type { Redis } from 'ioredis';
import type { Kysely } from 'kysely';
import {
  deleteEndpoint,
  endpointDeliveryStats,
  findEndpoint,
  insertEndpointWithinLimit,
  listEndpoints,
  rotateEndpointSecret,
  updateEndpoint,
  type Database,
  type EndpointUpdate,
} from '@triggers/db';
import { readCircuitState, resetCircuitState } from '@triggers/circuit-breaker';
import type { DeliveryQueue } from '@triggers/delivery-queue';
import type { Logger } from '@triggers/runtime';
import { checkWebhookUrl, generateEndpointSecret } from '@triggers/webhooks';
import { principalOf } from '../auth/require-api-key.js';
import { bodyValidator, queryValidator } from '../http/ajv.js';
import { errors } from '../http/api-error.js';
import { keysetCursor } from '../http/cursor.js';
import { jsonBody } from '../http/json-body.js';
import { toPage } from '../http/pagination.js';
import { queryParams, querySchema } from '../http/query-params.js';
import { uuidParam } from '../http/uuid-param.js';
import type { IngestMetrics } from '../metrics.js';
import type { AmplificationLimiter } from '../rate-limit/amplification-limiter.js';
import { enforceAmplificationLimit } from '../rate-limit/enforce-rate-limit.js';
import {
  checkCustomHeaders,
  createEndpointSchema,
  updateEndpointSchema,
  type EndpointInput,
} from './endpoint-input.js';
import { toEndpointJson, toEndpointStatsJson, withSecret } from './endpoints.json.js';
import { sendTestEvent } from './test-event.js';

export interface EndpointsRoutesDeps {
  db: Kysely<Database>;
  redis: Redis;
  redisKeyPrefix: string;
  deliveryQueue: DeliveryQueue;
  log: Logger;
  metrics: IngestMetrics;
  amplificationLimiter: AmplificationLimiter;
  webhooks: {
    allowPrivateTargets: boolean;
    secretRotationGraceMs: number;
    maxEndpointsPerOrganization: number;
  };
}

export const listEndpointsQuerySchema = querySchema({
  cursor: queryParams.cursor,
  limit: queryParams.limit(),
});

const parseCreate = bodyValidator<EndpointInput & { url: string }>(createEndpointSchema);
const parseUpdate = bodyValidator<EndpointInput>(updateEndpointSchema);
const parseListQuery = queryValidator<{ cursor?: string; limit: number }>(listEndpointsQuerySchema);
const endpointsCursor = keysetCursor('endpoints');

/** Webhook endpoints: CRUD, secret rotation, delivery stats and a test event. */
export function endpointsRoutes(deps: EndpointsRoutesDeps): Router {
  const router = Router();
  const body = jsonBody(64 * 1024);

  /**
   * Checks what the schema cannot: the custom header names, and the URL against the SSRF policy.
   * Returns the URL to store, normalized (undefined when the input has none).
   */
  async function checkInput(input: EndpointInput): Promise<string | undefined> {
    const headerProblems = checkCustomHeaders(input.headers);
    if (headerProblems.length > 0) throw errors.validationFailed(headerProblems);
    if (input.url === undefined) return undefined;
    const check = await checkWebhookUrl(input.url, { allowPrivate: deps.webhooks.allowPrivateTargets });
    if (!check.accepted) throw errors.webhookUrlRefused(check.refusal.reason, check.refusal.message);
    return check.url;
  }

  async function ownEndpoint(organizationId: string, id: unknown) {
    const endpoint = await findEndpoint(deps.db, organizationId, uuidParam(id, 'endpoint'));
    if (!endpoint) throw errors.notFound('endpoint');
    return endpoint;
  }

  router.post('/endpoints', ...body, async (req, res) => {
    const input = parseCreate(req.body);
    const url = (await checkInput(input))!;
    const limit = deps.webhooks.maxEndpointsPerOrganization;
    const endpoint = await insertEndpointWithinLimit(
      deps.db,
      {
        organizationId: principalOf(res).organizationId,
        url,
        description: input.description ?? null,
        eventTypes: input.event_types ?? [],
        enabled: input.enabled ?? true,
        disabledReason: null,
        secret: generateEndpointSecret(),
        previousSecret: null,
        previousSecretExpiresAt: null,
        headers: input.headers ?? {},
        maxAttempts: input.max_attempts ?? null,
        timeoutMs: input.timeout_ms ?? null,
        failingSince: null,
      },
      limit,
    );
    if (!endpoint) throw errors.endpointLimitReached(limit);
    // The only answer, with rotate-secret, that ever shows the secret.
    res.status(201).location(`/api/endpoints/${endpoint.id}`).json(withSecret(endpoint));
  });

  router.get('/endpoints', async (req, res) => {
    const query = parseListQuery(req.query);
    const rows = await listEndpoints(deps.db, principalOf(res).organizationId, {
      after: query.cursor === undefined ? undefined : endpointsCursor.decode(query.cursor),
      limit: query.limit + 1,
    });
    res.json(toPage(rows, query.limit, (e) => endpointsCursor.encode(e.position), toEndpointJson));
  });

  router.get('/endpoints/:id', async (req, res) => {
    res.json(toEndpointJson(await ownEndpoint(principalOf(res).organizationId, req.params.id)));
  });

  router.patch('/endpoints/:id', ...body, async (req, res) => {
    const id = uuidParam(req.params.id, 'endpoint');
    const input = parseUpdate(req.body);
    const url = await checkInput(input);
    const changes: EndpointUpdate = {
      ...(url !== undefined && { url }),
      ...(input.description !== undefined && { description: input.description }),
      ...(input.event_types !== undefined && { eventTypes: input.event_types }),
      ...(input.headers !== undefined && { headers: input.headers }),
      ...(input.max_attempts !== undefined && { maxAttempts: input.max_attempts }),
      ...(input.timeout_ms !== undefined && { timeoutMs: input.timeout_ms }),
      // Whoever switches an endpoint on or off decides; the system's reason no longer applies.
      ...(input.enabled !== undefined && { enabled: input.enabled, disabledReason: null }),
    };
    const endpoint = await updateEndpoint(deps.db, principalOf(res).organizationId, id, changes);
    if (!endpoint) throw errors.notFound('endpoint');
    // Switched on by hand: the failures that opened its circuit (or disabled it) are history.
    if (input.enabled === true) {
      await resetCircuitState(deps.redis, deps.redisKeyPrefix, endpoint.id).catch((err: unknown) =>
        deps.log.warn({ err, endpointId: endpoint.id }, 'circuit not reset: Redis unavailable'),
      );
    }
    res.json(toEndpointJson(endpoint));
  });

  router.delete('/endpoints/:id', async (req, res) => {
    const id = uuidParam(req.params.id, 'endpoint');
    if (!(await deleteEndpoint(deps.db, principalOf(res).organizationId, id)))
      throw errors.notFound('endpoint');
    res.status(204).end();
  });

  router.post('/endpoints/:id/rotate-secret', async (req, res) => {
    const id = uuidParam(req.params.id, 'endpoint');
    const expiresAt = new Date(Date.now() + deps.webhooks.secretRotationGraceMs);
    const endpoint = await rotateEndpointSecret(
      deps.db,
      principalOf(res).organizationId,
      id,
      generateEndpointSecret(),
      expiresAt,
    );
    if (!endpoint) throw errors.notFound('endpoint');
    res.json(withSecret(endpoint));
  });

  router.get('/endpoints/:id/stats', async (req, res) => {
    const endpoint = await ownEndpoint(principalOf(res).organizationId, req.params.id);
    const stats = await endpointDeliveryStats(deps.db, endpoint.id);
    const circuit = await readCircuitState(deps.redis, deps.redisKeyPrefix, endpoint.id).catch(
      (err: unknown) => {
        deps.log.warn({ err, endpointId: endpoint.id }, 'circuit state unavailable');
        return undefined;
      },
    );
    res.json(toEndpointStatsJson(endpoint.id, stats, circuit));
  });

  router.post('/endpoints/:id/test', async (req, res) => {
    const endpoint = await ownEndpoint(principalOf(res).organizationId, req.params.id);
    if (!endpoint.enabled) {
      throw errors.conflict('endpoint_disabled', 'The endpoint is disabled; enable it to send a test event.');
    }
    await enforceAmplificationLimit(deps.amplificationLimiter, deps.metrics, res, 1);
    const sent = await sendTestEvent(deps, endpoint);
    res
      .status(202)
      .location(`/api/events/${sent.eventId}`)
      .json({ event_id: sent.eventId, delivery_id: sent.deliveryId, queued: sent.queued });
  });

  return router;
}
