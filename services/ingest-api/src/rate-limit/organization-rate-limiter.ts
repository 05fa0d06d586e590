import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';

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

  constructor(private readonly options: OrganizationRateLimiterOptions) {}

  /** Spends `cost` points (one per event) of the organization's budget for this second. */
  async consume(organizationId: string, perSecond: number | null, cost: number): Promise<RateLimitDecision> {
    const limit = perSecond ?? this.options.defaultPerSecond;
    try {
      const res = await this.limiterFor(limit).consume(organizationId, cost);
      return decision(true, limit, res);
    } catch (rejection) {
      if (rejection instanceof RateLimiterRes) return decision(false, limit, rejection);
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

function decision(allowed: boolean, limit: number, res: RateLimiterRes): RateLimitDecision {
  return {
    allowed,
    limit,
    remaining: Math.max(0, res.remainingPoints),
    resetSeconds: Math.max(1, Math.ceil(res.msBeforeNext / 1000)),
  };
}
