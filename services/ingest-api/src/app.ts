import express, { type Express, type RequestHandler } from 'express';
import type { Redis } from 'ioredis';
import type { Kysely } from 'kysely';
import type { Database } from '@triggers/db';
import type { DeliveryQueue } from '@triggers/delivery-queue';
import type { Logger, Readiness } from '@triggers/runtime';
import { adminRoutes } from './admin/admin.routes.js';
import type { ApiKeyAuthenticator } from './auth/api-key-authenticator.js';
import { requireAdminToken } from './auth/require-admin-token.js';
import { requireApiKey } from './auth/require-api-key.js';
import { deliveriesRoutes } from './deliveries/deliveries.routes.js';
import { endpointsRoutes } from './endpoints/endpoints.routes.js';
import type { EventTypeChanges } from './event-types/event-type-changes.js';
import type { EventTypeValidators } from './event-types/event-type-validators.js';
import { eventTypesRoutes } from './event-types/event-types.routes.js';
import { eventsReadRoutes } from './events/events-read.routes.js';
import { addIngestRoutes } from './events/events.routes.js';
import type { QueueCommitter } from './events/queue-committer.js';
import { errors } from './http/api-error.js';
import { problemErrorHandler } from './http/problem-response.js';
import { securityHeaders } from './http/security-headers.js';
import { inboxRoutes } from './inbox/inbox.routes.js';
import type { IngestMetrics } from './metrics.js';
import { openApiDocument } from './openapi/openapi.js';
import type { AmplificationLimiter } from './rate-limit/amplification-limiter.js';
import type { OrganizationRateLimiter } from './rate-limit/organization-rate-limiter.js';

export interface AppDeps {
  db: Kysely<Database>;
  committer: QueueCommitter;
  authenticator: ApiKeyAuthenticator;
  rateLimiter: OrganizationRateLimiter;
  /** Test sends and replays: a budget of their own. */
  amplificationLimiter: AmplificationLimiter;
  readiness: Readiness;
  metrics: IngestMetrics;
  log: Logger;
  adminToken: string;
  bodyLimitBytes: number;
  redis: Redis;
  redisKeyPrefix: string;
  deliveryQueue: DeliveryQueue;
  eventTypes: EventTypeValidators;
  eventTypeChanges: EventTypeChanges;
  webhooks: {
    allowPrivateTargets: boolean;
    secretRotationGraceMs: number;
    maxEndpointsPerOrganization: number;
  };
}

/** Builds the HTTP API; it never listens by itself, so tests drive it directly. */
export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  // Responses are small JSON answers to POSTs; hashing them for ETags is wasted work.
  app.set('etag', false);
  app.set('query parser', 'simple');

  app.use(recordDuration(deps.metrics));
  app.use(securityHeaders());
  const authenticate = requireApiKey(deps.authenticator);
  addIngestRoutes(app, authenticate, deps);

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', async (_req, res) => {
    const report = await deps.readiness.report();
    res.status(report.ready ? 200 : 503).json(report);
  });
  const openApiJson = JSON.stringify(openApiDocument);
  app.get('/openapi.json', (_req, res) => {
    res.type('application/json').send(openApiJson);
  });

  app.use('/admin', requireAdminToken(deps.adminToken), adminRoutes(deps));
  app.use(
    '/api',
    authenticate,
    eventsReadRoutes(deps),
    inboxRoutes(deps),
    endpointsRoutes(deps),
    eventTypesRoutes(deps),
    deliveriesRoutes(deps),
  );

  app.use((req, _res, next) => next(errors.routeNotFound(req.method, req.path)));
  app.use(problemErrorHandler(deps.log, deps.bodyLimitBytes));
  return app;
}

/** Request duration by route pattern (never the raw path, which would explode label cardinality). */
function recordDuration(metrics: IngestMetrics): RequestHandler {
  return (req, res, next) => {
    const started = performance.now();
    res.once('finish', () => {
      const route = req.route ? `${req.baseUrl}${String(req.route.path)}` : 'unmatched';
      metrics.httpDuration.observe(
        { method: req.method, route, status: String(res.statusCode) },
        (performance.now() - started) / 1000,
      );
    });
    next();
  };
}
