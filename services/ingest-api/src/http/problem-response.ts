import type { ErrorRequestHandler, Response } from 'express';
import type { Logger } from '@triggers/runtime';
import { ApiError, errors } from './api-error.js';
import { isUnavailableError } from './unavailable.js';

/** The stable `type` URI of an error code, documented in docs/api.md. */
export function problemType(code: string): string {
  return `https://triggers.dev/problems/${code.replaceAll('_', '-')}`;
}

/**
 * The RFC 9457 problem document of `error`, as JSON text. `instance` is left out where no request
 * was parsed (Node refused it first).
 */
export function problemDocument(error: ApiError, instance?: string): string {
  // Retry-After travels as a header, not in the document.
  const extras = Object.entries(error.extras).filter(
    ([k, v]) => k !== 'retryAfterSeconds' && v !== undefined,
  );
  return JSON.stringify({
    type: problemType(error.code),
    title: error.title,
    status: error.status,
    code: error.code,
    ...(error.detail ? { detail: error.detail } : {}),
    ...(instance === undefined ? {} : { instance }),
    ...Object.fromEntries(extras),
  });
}

/** Writes an RFC 9457 problem document. */
export function sendProblem(res: Response, error: ApiError, instance: string): void {
  const { retryAfterSeconds } = error.extras;
  if (retryAfterSeconds !== undefined) res.setHeader('Retry-After', String(retryAfterSeconds));
  res.status(error.status).type('application/problem+json').send(problemDocument(error, instance));
}

/**
 * The framework's client errors, mapped to our catalogue: body-parser's error types, the router's
 * URIError for a path parameter that does not percent-decode, and, as a last resort, any error
 * that http-errors marks as a client's (4xx, `expose`), so that a client's mistake is never
 * answered, or logged, as our failure.
 */
function fromFrameworkError(
  err: { type?: string; limit?: number; status?: unknown; expose?: unknown },
  bodyLimit: number,
): ApiError | undefined {
  if (err instanceof URIError) return errors.invalidPath();
  switch (err.type) {
    case 'entity.too.large':
      return errors.payloadTooLarge(err.limit ?? bodyLimit);
    case 'entity.parse.failed':
      return errors.malformedJson();
    case 'encoding.unsupported':
      return errors.unsupportedContentEncoding();
    case 'charset.unsupported':
      return errors.unsupportedMediaType();
    case 'request.aborted':
    case 'request.size.invalid':
    case 'stream.encoding.set':
      return errors.badRequest('The request body could not be read.');
  }
  if (typeof err.status !== 'number' || err.expose !== true) return undefined;
  if (err.status === 413) return errors.payloadTooLarge(bodyLimit);
  if (err.status === 415) return errors.unsupportedMediaType();
  if (err.status >= 400 && err.status < 500) return errors.badRequest('The request could not be read.');
  return undefined;
}

/** The one error middleware: every failure leaves as problem+json; a 5xx never shows its cause. */
export function problemErrorHandler(log: Logger, bodyLimit: number): ErrorRequestHandler {
  return (err: unknown, req, res, next) => {
    if (res.headersSent) return next(err);
    let error: ApiError;
    if (err instanceof ApiError) {
      error = err;
    } else {
      const fromFramework = typeof err === 'object' && err ? fromFrameworkError(err, bodyLimit) : undefined;
      if (fromFramework) {
        error = fromFramework;
      } else if (isUnavailableError(err)) {
        log.warn({ err, method: req.method, path: req.path }, 'dependency unavailable');
        error = errors.unavailable(1, 'A dependency of the API is unavailable; retry later.');
      } else {
        log.error({ err, method: req.method, path: req.path }, 'unhandled error');
        error = errors.internal();
      }
    }
    sendProblem(res, error, req.originalUrl.split('?')[0] ?? '/');
  };
}
