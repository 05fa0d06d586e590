import { isReservedHeader } from '@triggers/webhooks';
import { EVENT_TYPE_FILTER_PATTERN } from '../http/query-params.js';
import type { FieldProblem } from '../http/api-error.js';
import { pointerToken } from '../http/json-pointer.js';

export const MAX_CUSTOM_HEADERS = 20;

const endpointFields = {
  url: {
    type: 'string',
    minLength: 1,
    maxLength: 2048,
    description:
      'http(s) URL the events are POSTed to. Stored and shown in its WHATWG-normalized form (host lower-cased, default port dropped, tabs and line breaks removed), which is the URL deliveries go to.',
  },
  description: { type: ['string', 'null'], maxLength: 500 },
  event_types: {
    type: 'array',
    maxItems: 100,
    uniqueItems: true,
    items: { type: 'string', maxLength: 130, pattern: EVENT_TYPE_FILTER_PATTERN },
    description:
      'Types this endpoint receives: exact names, `prefix.*` or `*`; empty (the default) means every type.',
  },
  enabled: { type: 'boolean' },
  headers: {
    type: 'object',
    maxProperties: MAX_CUSTOM_HEADERS,
    propertyNames: { type: 'string', minLength: 1, maxLength: 100, pattern: "^[!#$%&'*+.^_`|~0-9A-Za-z-]+$" },
    additionalProperties: { type: 'string', maxLength: 1000, pattern: '^[\\t\\x20-\\x7E]*$' },
    description:
      'Extra request headers sent with every delivery (at most 20). Hop-by-hop and connection headers (Connection, Keep-Alive, TE, Trailer, Transfer-Encoding, Upgrade, HTTP2-Settings, Proxy-*), Expect, framing, Host, User-Agent, Content-Type and webhook-* headers are refused.',
  },
  max_attempts: {
    type: ['integer', 'null'],
    minimum: 1,
    maximum: 50,
    description: 'Attempts before a delivery is dead; null takes the deliverer default.',
  },
  timeout_ms: {
    type: ['integer', 'null'],
    minimum: 100,
    maximum: 60000,
    description: 'Per-attempt timeout; null takes the deliverer default.',
  },
} as const;

export const createEndpointSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['url'],
  properties: endpointFields,
} as const;

export const updateEndpointSchema = {
  type: 'object',
  additionalProperties: false,
  minProperties: 1,
  properties: endpointFields,
} as const;

export interface EndpointInput {
  url?: string;
  description?: string | null;
  event_types?: string[];
  enabled?: boolean;
  headers?: Record<string, string>;
  max_attempts?: number | null;
  timeout_ms?: number | null;
}

/** Problems with custom headers that the schema cannot express (names refused case-insensitively). */
export function checkCustomHeaders(headers: Record<string, string> | undefined): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const seen = new Set<string>();
  for (const name of Object.keys(headers ?? {})) {
    const lower = name.toLowerCase();
    const pointer = `/headers/${pointerToken(name)}`;
    if (isReservedHeader(name)) {
      problems.push({
        pointer,
        message: `the header "${name}" is reserved (hop-by-hop, framing, or set by Triggers) and cannot be set`,
      });
    } else if (seen.has(lower)) {
      problems.push({ pointer, message: `the header "${name}" is given twice (names are case-insensitive)` });
    }
    seen.add(lower);
  }
  return problems;
}
