import retry from 'async-retry';

// postgres.js codes for a connection that failed or died; the statement never ran or its outcome
// is unknown, and a new connection may well succeed.
const CONNECTION_CODES = new Set([
  'CONNECTION_CLOSED',
  'CONNECTION_DESTROYED',
  'CONNECT_TIMEOUT',
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
]);

// SQLSTATEs after which the same statement may succeed: deadlock, serialization failure, and a
// server shutting down, starting up or recovering from another backend's crash.
const RETRYABLE_SQLSTATES = new Set(['40P01', '40001', '57P01', '57P02', '57P03']);

/** Is `err` a failure that running the same statement again (on a fresh connection) may cure? */
export function isTransientDatabaseError(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false;
  const code = (err as { code?: unknown }).code;
  if (typeof code !== 'string') return false;
  return CONNECTION_CODES.has(code) || RETRYABLE_SQLSTATES.has(code) || code.startsWith('08');
}

export interface TransientRetryOptions {
  /** Attempts after the first. */
  retries: number;
  /** First wait; doubles each time (with jitter). */
  minTimeoutMs: number;
}

/**
 * Runs `statement`, running it again on transient failures only (see `isTransientDatabaseError`);
 * any other error is thrown at once. `statement` must be idempotent: after a connection died
 * mid-statement, the first run may have committed.
 */
export function retryTransient<T>(
  statement: () => Promise<T>,
  options: TransientRetryOptions = { retries: 4, minTimeoutMs: 50 },
): Promise<T> {
  return retry(
    async (bail) => {
      try {
        return await statement();
      } catch (err) {
        if (!isTransientDatabaseError(err)) bail(err as Error);
        throw err;
      }
    },
    { retries: options.retries, minTimeout: options.minTimeoutMs, factor: 2, randomize: true },
  );
}
