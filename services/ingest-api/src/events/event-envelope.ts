import { toStorableDate, unstorableText, UNSTORABLE_DATE_MESSAGE } from '@triggers/db';
import { ajv, toProblems } from '../http/ajv.js';
import type { FieldProblem } from '../http/api-error.js';
import { checkStorableJson } from '../http/storable-json.js';

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

/** One event whose envelope is valid and whose every value can be stored; `occurredAt` read from it. */
export interface CheckedEvent {
  envelope: EventEnvelope;
  occurredAt: Date | undefined;
}

/**
 * Checks one event on its own: its envelope, then what Postgres or a Date could not hold (a NUL or
 * lone surrogate in `dedup_id`, which would also make its UUIDv5 throw; an `occurred_at` that the
 * `date-time` format accepts but that is a leap second or outside years 1 to 9999; payload values
 * JSON cannot carry). Every conversion that can throw happens here, per item, so that nothing
 * shared with other items or requests (a lookup, a cache, a statement) ever sees a value that fails.
 */
export function checkEvent(body: unknown, prefix = ''): { problems: FieldProblem[] } | CheckedEvent {
  const problems = checkEnvelope(body, prefix);
  if (problems.length > 0) return { problems };
  const envelope = body as EventEnvelope;
  const dedupProblem = envelope.dedup_id === undefined ? undefined : unstorableText(envelope.dedup_id);
  if (dedupProblem) return { problems: [{ pointer: `${prefix}/dedup_id`, message: dedupProblem }] };
  let occurredAt: Date | undefined;
  if (envelope.occurred_at !== undefined) {
    occurredAt = toStorableDate(envelope.occurred_at);
    if (!occurredAt)
      return { problems: [{ pointer: `${prefix}/occurred_at`, message: UNSTORABLE_DATE_MESSAGE }] };
  }
  const payloadProblem = checkStorableJson(envelope.payload, `${prefix}/payload`);
  if (payloadProblem) return { problems: [payloadProblem] };
  return { envelope, occurredAt };
}

/** Problems with the outer shape of a batch request (not its items). */
export function checkBatchShape(body: unknown): FieldProblem[] {
  return validateBatch(body) ? [] : toProblems(validateBatch.errors, '');
}
