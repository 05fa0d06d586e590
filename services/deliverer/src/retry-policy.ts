/** What one attempt came to, as the retry policy sees it. */
export type AttemptOutcome =
  | { kind: 'response'; status: number; retryAfterMs: number | null }
  | { kind: 'timeout' | 'network' | 'dns' | 'ssrf_blocked' };

export interface RetryPolicy {
  baseDelayMs: number;
  factor: number;
  maxDelayMs: number;
}

export type Decision =
  | { action: 'delivered' }
  | { action: 'retry'; delayMs: number }
  | { action: 'dead' }
  /** 410 Gone: the receiver says the endpoint no longer exists. */
  | { action: 'disable_endpoint' };

/** Statuses that mean "not now" rather than "broken": they do not count against the circuit breaker. */
const TRANSIENT_STATUSES = new Set([408, 409, 425, 429]);

export function isSuccess(outcome: AttemptOutcome): boolean {
  return outcome.kind === 'response' && outcome.status >= 200 && outcome.status < 300;
}

/** Whether a failed attempt is a sign the endpoint itself is failing (and counts toward opening its circuit). */
export function countsAgainstEndpoint(outcome: AttemptOutcome): boolean {
  return !isSuccess(outcome) && !(outcome.kind === 'response' && TRANSIENT_STATUSES.has(outcome.status));
}

/**
 * What to do after attempt number `attempt` (1-based) of `maxAttempts`. Any 2xx is success; 410
 * disables the endpoint; every other outcome (3xx, which is not followed; 4xx; 5xx; timeouts;
 * network and DNS errors) is retried until attempts run out, then the delivery is dead. Retry-After
 * on 429 and 503 sets the delay, within [1 s, maxDelayMs]; otherwise the backoff is exponential with
 * jitter, so that retries of many deliveries do not arrive in lockstep.
 */
export function decideAfterAttempt(
  outcome: AttemptOutcome,
  attempt: number,
  maxAttempts: number,
  policy: RetryPolicy,
  random: () => number = Math.random,
): Decision {
  if (isSuccess(outcome)) return { action: 'delivered' };
  if (outcome.kind === 'response' && outcome.status === 410) return { action: 'disable_endpoint' };
  if (attempt >= maxAttempts) return { action: 'dead' };
  const retryAfter =
    outcome.kind === 'response' && (outcome.status === 429 || outcome.status === 503)
      ? outcome.retryAfterMs
      : null;
  if (retryAfter !== null) return { action: 'retry', delayMs: clamp(retryAfter, 1000, policy.maxDelayMs) };
  return { action: 'retry', delayMs: backoffDelay(attempt, policy, random) };
}

/** Exponential backoff with "equal jitter": half fixed, half random, capped. */
export function backoffDelay(
  attempt: number,
  policy: RetryPolicy,
  random: () => number = Math.random,
): number {
  const exponential = Math.min(policy.baseDelayMs * policy.factor ** (attempt - 1), policy.maxDelayMs);
  return Math.round(exponential / 2 + random() * (exponential / 2));
}

/** Retry-After as milliseconds: delta-seconds or an HTTP date; null when absent or unreadable. */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | null {
  if (value === undefined || value.trim() === '') return null;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? null : Math.max(0, date - now);
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(Math.max(value, min), max);
}
