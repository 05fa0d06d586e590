import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import type { RateLimitDecision } from './organization-rate-limiter.js';

/** The window of the amplifying-operations budget. */
const WINDOW_SECONDS = 60;

/**
 * The per-organization budget of amplifying operations: test sends and replays, each of which makes
 * the deliverers send a webhook without a new event being accepted. It is apart from the ingest
 * limit (a tenant at its ingest limit can still replay its DLQ, and replays cannot eat its ingest
 * budget) and counted per delivery: a test send or a single replay costs 1, a bulk replay call the
 * deliveries it may replay, with what it did not use given back. Low volume, so no coalescing:
 * one Redis call per request. Shared by every API instance through Redis; while Redis is down each
 * instance counts in memory, as for ingest (replays then fail with 503 anyway: they need Redis).
 */
export class AmplificationLimiter {
  private readonly limiter: RateLimiterRedis;

  constructor(options: { redis: Redis; keyPrefix: string; perMinute: number }) {
    this.limiter = new RateLimiterRedis({
      storeClient: options.redis,
      keyPrefix: `${options.keyPrefix}amplify`,
      points: options.perMinute,
      duration: WINDOW_SECONDS,
      rejectIfRedisNotReady: true,
      insuranceLimiter: new RateLimiterMemory({ points: options.perMinute, duration: WINDOW_SECONDS }),
    });
  }

  /** The budget of one window: the most one bulk replay call can spend. */
  get perMinute(): number {
    return this.limiter.points;
  }

  /** Spends `cost` deliveries of the organization's budget for this minute. */
  async consume(organizationId: string, cost: number): Promise<RateLimitDecision> {
    let outcome: RateLimiterRes;
    try {
      outcome = await this.limiter.consume(organizationId, cost);
    } catch (rejection) {
      if (!(rejection instanceof RateLimiterRes)) throw rejection;
      outcome = rejection;
    }
    const limit = this.limiter.points;
    const allowed = outcome.consumedPoints <= limit;
    // The counter counts a refused call too: give it back, or one bulk call refused for its size
    // would leave nothing for the test sends and replays the budget still had room for. Should
    // Redis fail meanwhile, the over-count ends with the window.
    if (!allowed) await this.limiter.reward(organizationId, cost).catch(() => undefined);
    const spent = allowed ? outcome.consumedPoints : outcome.consumedPoints - cost;
    return {
      allowed,
      limit,
      remaining: Math.max(0, limit - spent),
      resetSeconds: Math.max(1, Math.ceil(outcome.msBeforeNext / 1000)),
    };
  }

  /** Gives back points spent in advance and not used (a bulk replay that found fewer deliveries). */
  async refund(organizationId: string, points: number): Promise<void> {
    if (points > 0) await this.limiter.reward(organizationId, points);
  }
}
