import type { Response } from 'express';
import { principalOf } from '../auth/require-api-key.js';
import { errors } from '../http/api-error.js';
import type { IngestMetrics } from '../metrics.js';
import type { AmplificationLimiter } from './amplification-limiter.js';
import type { OrganizationRateLimiter, RateLimitDecision } from './organization-rate-limiter.js';

/**
 * Spends `cost` of the caller's organization budget, setting the IETF `RateLimit-*` headers on the
 * response; throws 429 with `Retry-After` when the budget is spent.
 */
export async function enforceRateLimit(
  limiter: OrganizationRateLimiter,
  metrics: IngestMetrics,
  res: Response,
  cost: number,
): Promise<void> {
  const principal = principalOf(res);
  const decision = await limiter.consume(principal.organizationId, principal.rateLimitPerSecond, cost);
  applyDecision(decision, metrics, res);
}

/** The same for amplifying operations (test sends, replays), against their own budget. */
export async function enforceAmplificationLimit(
  limiter: AmplificationLimiter,
  metrics: IngestMetrics,
  res: Response,
  cost: number,
): Promise<void> {
  applyDecision(await limiter.consume(principalOf(res).organizationId, cost), metrics, res);
}

function applyDecision(decision: RateLimitDecision, metrics: IngestMetrics, res: Response): void {
  res.setHeader('RateLimit-Limit', String(decision.limit));
  res.setHeader('RateLimit-Remaining', String(decision.remaining));
  res.setHeader('RateLimit-Reset', String(decision.resetSeconds));
  if (!decision.allowed) {
    metrics.rateLimited.inc();
    throw errors.rateLimited(decision.resetSeconds);
  }
}
