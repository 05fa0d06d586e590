import {
  backoffDelay,
  countsAgainstEndpoint,
  decideAfterAttempt,
  parseRetryAfter,
  type AttemptOutcome,
} from './retry-policy.js';

const policy = { baseDelayMs: 1000, factor: 4, maxDelayMs: 60_000 };
const status = (s: number, retryAfterMs: number | null = null): AttemptOutcome => ({
  kind: 'response',
  status: s,
  retryAfterMs,
});
const half = () => 0.5;

describe('decideAfterAttempt', () => {
  it.each([200, 201, 204, 299])('treats %i as delivered', (s) => {
    expect(decideAfterAttempt(status(s), 1, 5, policy)).toEqual({ action: 'delivered' });
  });

  it('disables the endpoint on 410 Gone, whatever attempt it is', () => {
    expect(decideAfterAttempt(status(410), 1, 5, policy)).toEqual({ action: 'disable_endpoint' });
  });

  it.each([
    status(500),
    status(502),
    status(400),
    status(401),
    status(404),
    status(301),
    { kind: 'timeout' } as const,
    { kind: 'network' } as const,
    { kind: 'dns' } as const,
  ])('retries %j while attempts remain, then gives up (dead)', (outcome) => {
    expect(decideAfterAttempt(outcome, 1, 3, policy, half)).toMatchObject({ action: 'retry' });
    expect(decideAfterAttempt(outcome, 3, 3, policy, half)).toEqual({ action: 'dead' });
  });

  it('honours Retry-After on 429 and 503 within bounds', () => {
    expect(decideAfterAttempt(status(429, 7000), 1, 5, policy)).toEqual({ action: 'retry', delayMs: 7000 });
    expect(decideAfterAttempt(status(503, 10), 1, 5, policy)).toEqual({ action: 'retry', delayMs: 1000 });
    expect(decideAfterAttempt(status(503, 10 * 3_600_000), 1, 5, policy)).toEqual({
      action: 'retry',
      delayMs: 60_000,
    });
  });

  it('ignores Retry-After on other statuses', () => {
    expect(decideAfterAttempt(status(500, 7000), 1, 5, policy, half)).toEqual({
      action: 'retry',
      delayMs: 750,
    });
  });
});

describe('backoffDelay', () => {
  it('grows by the factor per attempt, jittered between half and all of it, and is capped', () => {
    expect(backoffDelay(1, policy, () => 0)).toBe(500);
    expect(backoffDelay(1, policy, () => 1)).toBe(1000);
    expect(backoffDelay(2, policy, () => 1)).toBe(4000);
    expect(backoffDelay(3, policy, () => 1)).toBe(16_000);
    expect(backoffDelay(10, policy, () => 1)).toBe(60_000);
  });
});

describe('countsAgainstEndpoint', () => {
  it('counts 5xx, other 4xx and network failures, not 408/409/425/429 or success', () => {
    expect(countsAgainstEndpoint(status(500))).toBe(true);
    expect(countsAgainstEndpoint(status(404))).toBe(true);
    expect(countsAgainstEndpoint({ kind: 'timeout' })).toBe(true);
    for (const s of [408, 409, 425, 429, 200]) expect(countsAgainstEndpoint(status(s))).toBe(false);
  });
});

describe('parseRetryAfter', () => {
  it('reads delta-seconds and HTTP dates', () => {
    const now = Date.parse('2026-11-28T10:00:00Z');
    expect(parseRetryAfter('120', now)).toBe(120_000);
    expect(parseRetryAfter('Sat, 28 Nov 2026 10:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter(undefined, now)).toBeNull();
    expect(parseRetryAfter('soon', now)).toBeNull();
  });
});
