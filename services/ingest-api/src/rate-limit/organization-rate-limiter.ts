import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { CoalescedConsumer, type SpendOutcome } from './coalesced-consumer.js';

export interface RateLimitDecision {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Seconds until the window resets (and, when refused, until a retry can succeed). */
  resetSeconds: number;
}

export interface OrganizationRateLimiterOptions {
  redis: Redis;
  keyPrefix: string;
  /** Events per second per organization, unless the organization has its own figure. */
  defaultPerSecond: number;
}

/**
 * Per-organization limits counted in Redis, so that every ingest instance shares one budget. While
 * Redis is unreachable each instance falls back to counting in memory (rate-limiter-flexible's
 * insurance limiter): limits get looser by the number of instances, but ingestion never stops.
 */
export class OrganizationRateLimiter {
  private readonly limiters = new Map<number, RateLimiterRedis>();
  // Requests of one organization that arrive together share one Redis call, and each call takes a
  // lease of 5 % of the limit (none below 20/s, at most 1,000 points) for the requests that follow:
  // one Redis round trip per lease rather than per request, for at most 5 % of an organization's
  // budget left unused per instance and window.
  private readonly consumer = new CoalescedConsumer(
    (key, limit, total) => this.spend(key, limit, total),
    (limit) => Math.min(1000, Math.floor(limit / 20)),
  );

  constructor(private readonly options: OrganizationRateLimiterOptions) {}

  /** Spends `cost` points (one per event) of the organization's budget for this second. */
  async consume(organizationId: string, perSecond: number | null, cost: number): Promise<RateLimitDecision> {
    const limit = perSecond ?? this.options.defaultPerSecond;
    const outcome = await this.consumer.consume(organizationId, limit, cost);
    return {
      allowed: outcome.allowed,
      limit,
      remaining: outcome.remaining,
      resetSeconds: Math.max(1, Math.ceil(outcome.msBeforeNext / 1000)),
    };
  }

  /** One spend; over the limit is an outcome here, not an error (the coalescer splits it). */
  private async spend(organizationId: string, limit: number, total: number): Promise<SpendOutcome> {
    try {
      return await this.limiterFor(limit).consume(organizationId, total);
    } catch (rejection) {
      if (rejection instanceof RateLimiterRes) return rejection;
      throw rejection;
    }
  }

  private limiterFor(points: number): RateLimiterRedis {
    let limiter = this.limiters.get(points);
    if (!limiter) {
      limiter = new RateLimiterRedis({
        storeClient: this.options.redis,
        keyPrefix: `${this.options.keyPrefix}ratelimit:${points}`,
        points,
        duration: 1,
        // Without this, commands would wait in ioredis' queue while Redis is down.
        rejectIfRedisNotReady: true,
        insuranceLimiter: new RateLimiterMemory({ points, duration: 1 }),
      });
      this.limiters.set(points, limiter);
    }
    return limiter;
  }
}
