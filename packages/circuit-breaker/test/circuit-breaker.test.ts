// Risk: a broken endpoint is hammered forever, or a healthy one stays blocked.
import { Redis } from 'ioredis';
import { deleteRedisKeys, testRedisUrl, uniqueRedisPrefix } from '@triggers/testing';
import { CircuitBreaker } from '../src/index.js';

describe('CircuitBreaker', () => {
  let redis: Redis;
  let breaker: CircuitBreaker;
  const options = { failureThreshold: 3, cooldownMs: 1000, maxCooldownMs: 4000, probeTimeoutMs: 500 };
  const prefixes: string[] = [];
  /** A prefix of this test's own, whose keys go when the tests are done. */
  const newPrefix = () => {
    prefixes.push(uniqueRedisPrefix());
    return prefixes.at(-1)!;
  };
  beforeEach(() => {
    redis = new Redis(testRedisUrl());
    breaker = new CircuitBreaker(redis, newPrefix(), options);
  });
  afterEach(() => redis.quit());
  afterAll(async () => {
    for (const prefix of prefixes) await deleteRedisKeys(testRedisUrl(), prefix);
  });

  it('stays closed below the threshold and opens at it, for the cool-down', async () => {
    const t = 1_000_000;
    await breaker.recordFailure('e', false, t);
    await breaker.recordFailure('e', false, t);
    expect(await breaker.check('e', t)).toEqual({ allowed: true, probe: false });
    await breaker.recordFailure('e', false, t);
    expect(await breaker.check('e', t + 10)).toEqual({ allowed: false, retryAt: t + 1000 });
    expect(await breaker.read('e', t + 10)).toMatchObject({
      state: 'open',
      consecutiveFailures: 3,
      failingSince: new Date(t),
    });
  });

  it('lets exactly one probe through once the cool-down is over; a failed probe re-opens it for twice as long', async () => {
    const t = 2_000_000;
    for (let i = 0; i < 3; i++) await breaker.recordFailure('e', false, t);
    const [a, b] = await Promise.all([breaker.check('e', t + 1000), breaker.check('e', t + 1000)]);
    expect([a, b]).toContainEqual({ allowed: true, probe: true });
    expect([a, b]).toContainEqual({ allowed: false, retryAt: t + 1500 });
    await breaker.recordFailure('e', true, t + 1100);
    expect(await breaker.check('e', t + 1200)).toEqual({ allowed: false, retryAt: t + 1100 + 2000 });
  });

  it('closes on a success and forgets the failure run', async () => {
    const t = 3_000_000;
    for (let i = 0; i < 3; i++) await breaker.recordFailure('e', false, t);
    await breaker.recordSuccess('e');
    expect(await breaker.check('e', t)).toEqual({ allowed: true, probe: false });
    expect(await breaker.read('e', t)).toEqual({
      state: 'closed',
      consecutiveFailures: 0,
      openUntil: null,
      failingSince: null,
    });
  });

  it('keeps endpoints apart', async () => {
    const t = 4_000_000;
    for (let i = 0; i < 3; i++) await breaker.recordFailure('broken', false, t);
    expect(await breaker.check('healthy', t)).toEqual({ allowed: true, probe: false });
  });

  it('counts open and half-open circuits for the metrics', async () => {
    const t = 5_000_000;
    for (let i = 0; i < 3; i++) await breaker.recordFailure('a', false, t);
    for (let i = 0; i < 3; i++) await breaker.recordFailure('b', false, t - 5000);
    expect(await breaker.countOpen(t)).toEqual({ open: 1, halfOpen: 1 });
    await breaker.recordSuccess('b');
    expect(await breaker.countOpen(t)).toEqual({ open: 1, halfOpen: 0 });
  });

  describe('with a healthy cache', () => {
    let prefix: string;
    let cached: CircuitBreaker;
    let other: CircuitBreaker;
    beforeEach(() => {
      prefix = newPrefix();
      cached = new CircuitBreaker(redis, prefix, { ...options, failureThreshold: 1, healthyCacheMs: 200 });
      // Another deliverer, sharing the circuits through Redis.
      other = new CircuitBreaker(redis, prefix, { ...options, failureThreshold: 1 });
    });

    it('trusts a closed circuit for the cache period, then sees what another deliverer recorded', async () => {
      expect(await cached.check('e')).toEqual({ allowed: true, probe: false });
      await other.recordFailure('e', false);
      expect(await cached.check('e')).toEqual({ allowed: true, probe: false });
      await new Promise((resolve) => setTimeout(resolve, 250));
      expect(await cached.check('e')).toMatchObject({ allowed: false });
    });

    it('stops trusting at once after a failure of its own', async () => {
      expect(await cached.check('e')).toEqual({ allowed: true, probe: false });
      await cached.recordFailure('e', false);
      expect(await cached.check('e')).toMatchObject({ allowed: false });
    });

    it('does not trust a closed circuit that has a failure run, so the next success ends the run', async () => {
      const counting = new CircuitBreaker(redis, prefix, {
        ...options,
        failureThreshold: 3,
        healthyCacheMs: 60_000,
      });
      await new CircuitBreaker(redis, prefix, { ...options, failureThreshold: 3 }).recordFailure('e', false);
      expect(await counting.check('e')).toEqual({ allowed: true, probe: false });
      await counting.recordSuccess('e');
      expect(await counting.read('e')).toMatchObject({ state: 'closed', consecutiveFailures: 0 });
    });
  });
});
