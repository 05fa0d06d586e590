import { createServer, STATUS_CODES, type RequestListener, type Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { errors, type ApiError } from './http/api-error.js';
import { problemDocument } from './http/problem-response.js';
import { refuseUnreadableTargets } from './http/request-target.js';

/**
 * Limits that cut off slow or oversized clients instead of holding sockets (and memory) for them;
 * their meaning and defaults are in the config (HTTP_* variables).
 */
export interface HttpLimits {
  requestTimeoutMs: number;
  headersTimeoutMs: number;
  maxHeaderBytes: number;
  checkIntervalMs: number;
  keepAliveTimeoutMs: number;
}

/** The API's HTTP server with its protective limits; main.ts and the tests both use it. */
export function createHttpServer(app: RequestListener, limits: HttpLimits): Server {
  const server = createServer(
    {
      requestTimeout: limits.requestTimeoutMs,
      headersTimeout: limits.headersTimeoutMs,
      maxHeaderSize: limits.maxHeaderBytes,
      connectionsCheckingInterval: limits.checkIntervalMs,
    },
    refuseUnreadableTargets(app),
  );
  server.keepAliveTimeout = limits.keepAliveTimeoutMs;
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Duplex) =>
    answerClientError(err, socket, limits.maxHeaderBytes),
  );
  return server;
}

/**
 * Requests Node refuses before express sees them (a header section over the limit, a request that
 * did not arrive in time, bytes that are not HTTP) get the same problem+json answer as every other
 * error, instead of Node's bare status line; then the connection is closed.
 */
function answerClientError(err: NodeJS.ErrnoException, socket: Duplex, maxHeaderBytes: number): void {
  // The peer is gone, or an answer has already started: nothing can be said.
  if (err.code === 'ECONNRESET' || !socket.writable || (socket as { _httpMessage?: unknown })._httpMessage) {
    socket.destroy();
    return;
  }
  const error: ApiError =
    err.code === 'HPE_HEADER_OVERFLOW'
      ? errors.headersTooLarge(maxHeaderBytes)
      : err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? errors.requestTimeout()
        : errors.badRequest('The request is not valid HTTP/1.1.');
  const body = problemDocument(error);
  // Written, then the socket destroyed at once (as Node's own handler does): a client still
  // dripping bytes must not keep it open.
  socket.write(
    `HTTP/1.1 ${error.status} ${STATUS_CODES[error.status]}\r\n` +
      'Content-Type: application/problem+json\r\n' +
      `Content-Length: ${Buffer.byteLength(body)}\r\n` +
      'Connection: close\r\n\r\n' +
      body,
  );
  socket.destroy();
}
