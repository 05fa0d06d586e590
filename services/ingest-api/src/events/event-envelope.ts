import { ajv, toProblems } from '../http/ajv.js';
import type { FieldProblem } from '../http/api-error.js';

/** Dotted names like `order.created`: segments of letters, digits, `_` and `-`; `*` is kept for filters. */
export const EVENT_TYPE_PATTERN = '^[A-Za-z0-9_-]+(\\.[A-Za-z0-9_-]+)*$';
export const MAX_BATCH_EVENTS = 1000;

/** What a client sends for one event. */
export interface EventEnvelope {
  type: string;
  payload: Record<string, unknown>;
  dedup_id?: string;
  occurred_at?: string;
}

export const eventEnvelopeSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['type', 'payload'],
  properties: {
    type: { type: 'string', minLength: 1, maxLength: 128, pattern: EVENT_TYPE_PATTERN },
    payload: { type: 'object' },
    dedup_id: { type: 'string', minLength: 1, maxLength: 200 },
    occurred_at: { type: 'string', format: 'date-time', maxLength: 64 },
  },
} as const;

export const eventBatchSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['events'],
  properties: { events: { type: 'array', minItems: 1, maxItems: MAX_BATCH_EVENTS } },
} as const;

const validateEnvelope = ajv.compile<EventEnvelope>(eventEnvelopeSchema);
const validateBatch = ajv.compile<{ events: unknown[] }>(eventBatchSchema);

/** Problems with `body` as one event envelope; empty when it is valid. `prefix` locates it in a batch. */
export function checkEnvelope(body: unknown, prefix = ''): FieldProblem[] {
  return validateEnvelope(body) ? [] : toProblems(validateEnvelope.errors, prefix);
}

/** Problems with the outer shape of a batch request (not its items). */
export function checkBatchShape(body: unknown): FieldProblem[] {
  return validateBatch(body) ? [] : toProblems(validateBatch.errors, '');
}
