import { createServer, type RequestListener, type Server } from 'node:http';

/** Limits that cut off slow or oversized clients instead of holding sockets (and memory) for them. */
export const HTTP_LIMITS = {
  /** A whole request, body included, must arrive within this (slow-loris bodies). */
  requestTimeoutMs: 30_000,
  /** Headers must arrive within this (slow-loris headers). */
  headersTimeoutMs: 10_000,
  /** Larger header sections are refused with 431. */
  maxHeaderBytes: 16 * 1024,
  /** How often Node checks the two deadlines above (its default, 30 s, lets a slow client linger that long). */
  checkIntervalMs: 1_000,
  /** Longer than typical load balancers' idle timeout, so they close first and no request races a close. */
  keepAliveTimeoutMs: 65_000,
};

/** The API's HTTP server with its protective limits; main.ts and the tests both use it. */
export function createHttpServer(app: RequestListener, limits = HTTP_LIMITS): Server {
  const server = createServer(
    {
      requestTimeout: limits.requestTimeoutMs,
      headersTimeout: limits.headersTimeoutMs,
      maxHeaderSize: limits.maxHeaderBytes,
      connectionsCheckingInterval: limits.checkIntervalMs,
    },
    app,
  );
  server.keepAliveTimeout = limits.keepAliveTimeoutMs;
  return server;
}
