import type { Express, Request, RequestHandler, Response } from 'express';
import { principalOf } from '../auth/require-api-key.js';
import { errors } from '../http/api-error.js';
import { jsonBody } from '../http/json-body.js';
import { enforceRateLimit } from '../rate-limit/enforce-rate-limit.js';
import type { OrganizationRateLimiter } from '../rate-limit/organization-rate-limiter.js';
import { checkBatchShape } from './event-envelope.js';
import { ingestEvents, type IngestDeps, type IngestResult } from './ingest-events.js';

export interface EventsRoutesDeps extends IngestDeps {
  rateLimiter: OrganizationRateLimiter;
  bodyLimitBytes: number;
}

/**
 * Ingestion: `POST /api/events` and `POST /api/events/batch`, behind `authenticate`. They carry
 * nearly all of the traffic, so they are added to the app itself, ahead of every other route: a
 * nested router and each route tried before these cost every event a few microseconds.
 */
export function addIngestRoutes(app: Express, authenticate: RequestHandler, deps: EventsRoutesDeps): void {
  const body = jsonBody(deps.bodyLimitBytes);

  app.post(
    '/api/events',
    authenticate,
    // Limit before parsing, so a flooding client costs us as little as possible.
    async (_req, res, next) => {
      await enforceRateLimit(deps.rateLimiter, deps.metrics, res, 1);
      next();
    },
    ...body,
    async (req: Request, res: Response) => {
      const [result] = await ingestEvents(deps, principalOf(res), [req.body], () => '');
      sendSingleResult(res, result!);
    },
  );

  app.post('/api/events/batch', authenticate, ...body, async (req: Request, res: Response) => {
    const shapeProblems = checkBatchShape(req.body);
    if (shapeProblems.length > 0) {
      deps.metrics.eventsRejected.inc({ reason: 'validation_failed' });
      throw errors.validationFailed(shapeProblems);
    }
    const items = (req.body as { events: unknown[] }).events;
    await enforceRateLimit(deps.rateLimiter, deps.metrics, res, items.length);
    const results = await ingestEvents(deps, principalOf(res), items, (i) => `/events/${i}`);
    sendBatchResults(res, results);
  });
}

function sendSingleResult(res: Response, result: IngestResult): void {
  switch (result.outcome) {
    case 'accepted':
      res
        .status(202)
        .location(`/api/events/${result.id}`)
        .json({ id: result.id, status: 'accepted', received_at: result.receivedAt.toISOString() });
      return;
    case 'duplicate':
      res
        .status(200)
        .location(`/api/events/${result.id}`)
        .json({ id: result.id, status: 'accepted', duplicate: true });
      return;
    case 'rejected':
      throw errors.validationFailed(result.problems);
  }
}

function sendBatchResults(res: Response, results: IngestResult[]): void {
  const items = results.map((r, index) => {
    switch (r.outcome) {
      case 'accepted':
        return { index, status: 'accepted', id: r.id, received_at: r.receivedAt.toISOString() };
      case 'duplicate':
        return { index, status: 'accepted', id: r.id, duplicate: true };
      case 'rejected':
        return { index, status: 'rejected', errors: r.problems };
    }
  });
  const rejected = results.filter((r) => r.outcome === 'rejected').length;
  if (rejected === results.length) {
    throw errors.validationFailed(
      results.flatMap((r) => (r.outcome === 'rejected' ? r.problems : [])),
      'No event of the batch is valid; nothing was stored.',
    );
  }
  const summary = {
    accepted: results.filter((r) => r.outcome === 'accepted').length,
    duplicates: results.filter((r) => r.outcome === 'duplicate').length,
    rejected,
  };
  // 207: some items were stored and some refused; each item says which.
  res.status(rejected > 0 ? 207 : 202).json({ ...summary, results: items });
}
