import type { Redis } from 'ioredis';
import { LRUCache } from 'lru-cache';

export type CircuitState = 'closed' | 'open' | 'half_open';

export interface CircuitSnapshot {
  state: CircuitState;
  consecutiveFailures: number;
  /** When an open circuit lets its next probe through; null when closed. */
  openUntil: Date | null;
  /** Start of the current run of failures; null when the last attempt succeeded. */
  failingSince: Date | null;
}

export type CircuitDecision = { allowed: true; probe: boolean } | { allowed: false; retryAt: number };

export interface CircuitBreakerOptions {
  /** Consecutive failures that open the circuit. */
  failureThreshold: number;
  /** First cool-down; each re-opening doubles it, up to `maxCooldownMs`. */
  cooldownMs: number;
  maxCooldownMs: number;
  /** How long a half-open probe may take before another sender may probe. */
  probeTimeoutMs: number;
  /**
   * How long this process trusts that an endpoint's circuit is closed with no failures before
   * asking Redis again (0: ask on every check). See `check`.
   */
  healthyCacheMs?: number;
}

// State lives in Redis so that every deliverer instance sees one circuit per endpoint. Each
// operation is one Lua script: atomic, one round trip.
const CHECK = `
local openUntil = tonumber(redis.call('HGET', KEYS[1], 'open_until') or '0')
local now = tonumber(ARGV[1])
if openUntil == 0 then return {1, 0, redis.call('EXISTS', KEYS[1])} end
if now < openUntil then return {0, openUntil} end
if redis.call('SET', KEYS[2], '1', 'NX', 'PX', ARGV[2]) then return {1, 1} end
return {0, now + tonumber(ARGV[2])}`;

const FAILURE = `
local now = tonumber(ARGV[1])
redis.call('HSETNX', KEYS[1], 'failing_since', now)
local failures = redis.call('HINCRBY', KEYS[1], 'failures', 1)
local openUntil = tonumber(redis.call('HGET', KEYS[1], 'open_until') or '0')
local isProbe = ARGV[5] == '1'
if isProbe or (openUntil == 0 and failures >= tonumber(ARGV[2])) then
  local opens = redis.call('HINCRBY', KEYS[1], 'opens', 1)
  local cooldown = math.min(tonumber(ARGV[3]) * 2 ^ (opens - 1), tonumber(ARGV[4]))
  redis.call('HSET', KEYS[1], 'open_until', now + cooldown)
  redis.call('DEL', KEYS[2])
  redis.call('ZADD', KEYS[3], now + cooldown, ARGV[6])
end
redis.call('PEXPIRE', KEYS[1], 30 * 24 * 3600 * 1000)
return failures`;

// Called after every 2xx: most circuits are closed (no hash), so it writes only when there is
// something to forget.
const SUCCESS = `
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
redis.call('DEL', KEYS[1], KEYS[2])
redis.call('ZREM', KEYS[3], ARGV[1])
return 1`;

/** The scripts as ioredis commands: sent by SHA (EVALSHA) after the first call, not in full each time. */
interface CircuitCommands {
  /** [allowed, probe or retry-at, whether a failure run is recorded (closed circuits only)] */
  circuitCheck(
    key: string,
    probeKey: string,
    now: number,
    probeTimeoutMs: number,
  ): Promise<[number, number, number?]>;
  circuitFailure(
    key: string,
    probeKey: string,
    openSetKey: string,
    now: number,
    failureThreshold: number,
    cooldownMs: number,
    maxCooldownMs: number,
    probe: '0' | '1',
    endpointId: string,
  ): Promise<number>;
  circuitSuccess(key: string, probeKey: string, openSetKey: string, endpointId: string): Promise<number>;
}

function withCircuitCommands(redis: Redis): Redis & CircuitCommands {
  redis.defineCommand('circuitCheck', { numberOfKeys: 2, lua: CHECK });
  redis.defineCommand('circuitFailure', { numberOfKeys: 3, lua: FAILURE });
  redis.defineCommand('circuitSuccess', { numberOfKeys: 3, lua: SUCCESS });
  return redis as Redis & CircuitCommands;
}

/** Per-endpoint circuit breaker shared by all deliverers through Redis. */
export class CircuitBreaker {
  private readonly redis: Redis & CircuitCommands;
  /** Endpoints last seen closed with no failure run, while `healthyCacheMs` trusts that. */
  private readonly healthy: LRUCache<string, true> | undefined;

  constructor(
    redis: Redis,
    private readonly keyPrefix: string,
    private readonly options: CircuitBreakerOptions,
  ) {
    this.redis = withCircuitCommands(redis);
    const ttl = options.healthyCacheMs ?? 0;
    this.healthy = ttl > 0 ? new LRUCache({ max: 100_000, ttl }) : undefined;
  }

  /**
   * May a request go to this endpoint now? When half-open, exactly one caller gets `probe: true`.
   *
   * With `healthyCacheMs`, an endpoint seen closed with no failures is taken as still so for that
   * long, without a Redis round trip per delivery (and its successes have nothing to forget). A
   * failure in this process ends that at once; a circuit another process opened is seen here
   * `healthyCacheMs` late at most, and that process's failure run outlives a success here until
   * then.
   */
  async check(endpointId: string, now = Date.now()): Promise<CircuitDecision> {
    if (this.healthy?.has(endpointId)) return { allowed: true, probe: false };
    const [allowed, value, failing] = await this.redis.circuitCheck(
      this.key(endpointId),
      this.probeKey(endpointId),
      now,
      this.options.probeTimeoutMs,
    );
    if (allowed !== 1) return { allowed: false, retryAt: value };
    if (value === 0 && failing === 0) this.healthy?.set(endpointId, true);
    return { allowed: true, probe: value === 1 };
  }

  /** A 2xx: the circuit closes and the failure run ends. */
  async recordSuccess(endpointId: string): Promise<void> {
    if (this.healthy?.has(endpointId)) return;
    await this.redis.circuitSuccess(
      this.key(endpointId),
      this.probeKey(endpointId),
      this.openSetKey(),
      endpointId,
    );
  }

  /** A failed attempt; opens the circuit at the threshold, and re-opens it (longer) when a probe fails. */
  async recordFailure(endpointId: string, probe: boolean, now = Date.now()): Promise<number> {
    this.healthy?.delete(endpointId);
    const o = this.options;
    return this.redis.circuitFailure(
      this.key(endpointId),
      this.probeKey(endpointId),
      this.openSetKey(),
      now,
      o.failureThreshold,
      o.cooldownMs,
      o.maxCooldownMs,
      probe ? '1' : '0',
      endpointId,
    );
  }

  /** Forgets an endpoint's failures (an operator re-enabled it). */
  async reset(endpointId: string): Promise<void> {
    this.healthy?.delete(endpointId);
    await resetCircuitState(this.redis, this.keyPrefix, endpointId);
  }

  async read(endpointId: string, now = Date.now()): Promise<CircuitSnapshot> {
    return readCircuitState(this.redis, this.keyPrefix, endpointId, now);
  }

  private key(endpointId: string): string {
    return circuitKey(this.keyPrefix, endpointId);
  }

  /** Counts circuits by state for the metrics: open (cooling down) and half-open (awaiting a probe). */
  async countOpen(now = Date.now()): Promise<{ open: number; halfOpen: number }> {
    const [open, halfOpen] = await Promise.all([
      this.redis.zcount(this.openSetKey(), `(${now}`, '+inf'),
      this.redis.zcount(this.openSetKey(), '-inf', now),
    ]);
    return { open, halfOpen };
  }

  private openSetKey(): string {
    return openSetKey(this.keyPrefix);
  }

  private probeKey(endpointId: string): string {
    return probeKey(this.keyPrefix, endpointId);
  }
}

function circuitKey(keyPrefix: string, endpointId: string): string {
  return `${keyPrefix}circuit:${endpointId}`;
}

function probeKey(keyPrefix: string, endpointId: string): string {
  return `${circuitKey(keyPrefix, endpointId)}:probe`;
}

/** Endpoints whose circuit is not closed, scored by when it next lets a probe through. */
function openSetKey(keyPrefix: string): string {
  return `${keyPrefix}circuits:open`;
}

/**
 * Closes an endpoint's circuit and forgets its run of failures, from anywhere (the API calls it
 * when an operator re-enables an endpoint, so that an old run does not disable it again at once).
 */
export async function resetCircuitState(redis: Redis, keyPrefix: string, endpointId: string): Promise<void> {
  await redis
    .multi()
    .del(circuitKey(keyPrefix, endpointId), probeKey(keyPrefix, endpointId))
    .zrem(openSetKey(keyPrefix), endpointId)
    .exec();
}

/** The circuit of an endpoint as the API reports it (read-only; no deliverer needed). */
export async function readCircuitState(
  redis: Redis,
  keyPrefix: string,
  endpointId: string,
  now = Date.now(),
): Promise<CircuitSnapshot> {
  const [failures, openUntil, failingSince] = await redis.hmget(
    circuitKey(keyPrefix, endpointId),
    'failures',
    'open_until',
    'failing_since',
  );
  const until = Number(openUntil ?? 0);
  return {
    state: until === 0 ? 'closed' : now < until ? 'open' : 'half_open',
    consecutiveFailures: Number(failures ?? 0),
    openUntil: until === 0 ? null : new Date(until),
    failingSince: failingSince ? new Date(Number(failingSince)) : null,
  };
}
