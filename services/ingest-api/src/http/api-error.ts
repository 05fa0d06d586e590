/** One detail of a validation failure: where (JSON pointer into the request) and what. */
export interface FieldProblem {
  pointer: string;
  message: string;
}

/**
 * The one error type the API throws on purpose. `code` is stable and documented; clients branch on
 * it (and on `type`, the URI derived from it), never on `detail`.
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly title: string,
    readonly detail?: string,
    readonly extras: { errors?: FieldProblem[]; retryAfterSeconds?: number; [key: string]: unknown } = {},
  ) {
    super(detail ?? title);
    this.name = 'ApiError';
  }
}

/** The catalogue of errors, so each code has one status and one title everywhere. */
export const errors = {
  malformedJson: (detail = 'The body is not valid JSON.') =>
    new ApiError(400, 'malformed_json', 'Malformed JSON', detail),
  invalidEncoding: () =>
    new ApiError(400, 'invalid_encoding', 'Invalid encoding', 'The body is not valid UTF-8.'),
  invalidContentEncoding: (encoding: string) =>
    new ApiError(
      400,
      'invalid_content_encoding',
      'Invalid content encoding',
      `The body does not decode as its Content-Encoding (${encoding.slice(0, 40)}) says.`,
    ),
  invalidPath: (detail = 'A percent-escape in the path does not decode to UTF-8 text.') =>
    new ApiError(400, 'invalid_path', 'Invalid path', detail),
  badRequest: (detail: string) => new ApiError(400, 'bad_request', 'Bad request', detail),
  invalidQuery: (detail: string, errors?: FieldProblem[]) =>
    new ApiError(400, 'invalid_query', 'Invalid query parameters', detail, { errors }),
  unauthorized: (detail = 'A valid API key is required: Authorization: Bearer <key> or X-API-Key.') =>
    new ApiError(401, 'unauthorized', 'Unauthorized', detail),
  adminUnauthorized: () =>
    new ApiError(
      401,
      'unauthorized',
      'Unauthorized',
      'The admin token is required: Authorization: Bearer <ADMIN_TOKEN>.',
    ),
  notFound: (what = 'resource') => new ApiError(404, 'not_found', 'Not found', `No such ${what}.`),
  routeNotFound: (method: string, path: string) =>
    new ApiError(404, 'route_not_found', 'Not found', `No route for ${method} ${path}.`),
  payloadTooLarge: (limit: number) =>
    new ApiError(
      413,
      'payload_too_large',
      'Payload too large',
      `The body exceeds the limit of ${limit} bytes.`,
    ),
  unsupportedMediaType: (detail = 'Send the body as application/json (UTF-8).') =>
    new ApiError(415, 'unsupported_media_type', 'Unsupported media type', detail),
  unsupportedContentEncoding: () =>
    errors.unsupportedMediaType(
      'The Content-Encoding is not accepted: send the body as identity, gzip, deflate or br.',
    ),
  validationFailed: (errors: FieldProblem[], detail = 'The request does not match the schema.') =>
    new ApiError(422, 'validation_failed', 'Validation failed', detail, { errors }),
  rateLimited: (retryAfterSeconds: number) =>
    new ApiError(
      429,
      'rate_limited',
      'Too many requests',
      'The organization rate limit is exceeded; retry later.',
      {
        retryAfterSeconds,
      },
    ),
  unavailable: (retryAfterSeconds = 1, detail = 'The event could not be stored; retry later.') =>
    new ApiError(503, 'service_unavailable', 'Service unavailable', detail, { retryAfterSeconds }),
  conflict: (code: string, detail: string, extras: Record<string, unknown> = {}) =>
    new ApiError(409, code, 'Conflict', detail, extras),
  webhookUrlRefused: (reason: string, message: string) =>
    new ApiError(422, 'webhook_url_refused', 'Webhook URL refused', `The url ${message}.`, {
      reason,
      errors: [{ pointer: '/url', message }],
    }),
  invalidSchema: (errors: FieldProblem[]) =>
    new ApiError(422, 'invalid_schema', 'Invalid JSON Schema', 'The schema is not a usable JSON Schema.', {
      errors,
    }),
  headersTooLarge: (limitBytes: number) =>
    new ApiError(
      431,
      'headers_too_large',
      'Request header fields too large',
      `The request line and headers exceed ${limitBytes} bytes.`,
    ),
  requestTimeout: () =>
    new ApiError(408, 'request_timeout', 'Request timeout', 'The request did not arrive in time.'),
  internal: () =>
    new ApiError(500, 'internal_error', 'Internal server error', 'An unexpected error occurred.'),
  endpointLimitReached: (limit: number) =>
    new ApiError(
      409,
      'endpoint_limit_reached',
      'Endpoint limit reached',
      `The organization has ${limit} endpoints, the most allowed; delete one to create another.`,
      { limit },
    ),
};
