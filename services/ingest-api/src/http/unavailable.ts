/**
 * Whether an error means a dependency could not be reached (rather than a bug): sockets refused,
 * reset or timed out, postgres.js connection failures, and Postgres' own "connection exception"
 * (class 08) and "operator intervention" (57P0x: shutting down) codes. Those become 503 with
 * Retry-After, never 500.
 */
export function isUnavailableError(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') return false;
  return (
    /^(ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|EHOSTUNREACH|ENOTFOUND|EAI_AGAIN)$/.test(code) ||
    /^(CONNECT_TIMEOUT|CONNECTION_CLOSED|CONNECTION_ENDED|CONNECTION_DESTROYED)$/.test(code) ||
    /^(08...|57P0[1-3])$/.test(code)
  );
}
