import type { QueueInsertRow } from '@triggers/db';
import type { Principal } from '../auth/api-key-authenticator.js';
import { ApiError, errors, type FieldProblem } from '../http/api-error.js';
import type { IngestMetrics } from '../metrics.js';
import { eventIdFor } from './event-ids.js';
import { checkEnvelope, type EventEnvelope } from './event-envelope.js';
import { claimInserted, RowsRefusedError, type QueueCommitter } from './queue-committer.js';
import { checkStorableJson } from '../http/storable-json.js';
import type { EventTypeValidators } from '../event-types/event-type-validators.js';
import { payloadRules, type PayloadRuleCheck } from '../event-types/payload-rules.js';

export type IngestResult =
  | { outcome: 'accepted'; id: string; receivedAt: Date }
  | { outcome: 'duplicate'; id: string }
  | { outcome: 'rejected'; problems: FieldProblem[] };

export interface IngestDeps {
  committer: QueueCommitter;
  metrics: IngestMetrics;
  eventTypes: EventTypeValidators;
}

/**
 * Validates each item, commits the valid ones together (one group-commit submission, so a batch is
 * one statement) and returns one result per item, in order. Throws 503 when Postgres is unavailable:
 * no item of the request is then reported accepted.
 */
export async function ingestEvents(
  deps: IngestDeps,
  principal: Principal,
  items: unknown[],
  pointerPrefix: (i: number) => string,
): Promise<IngestResult[]> {
  const rules = payloadRules(deps.eventTypes, principal, items);
  // Cached rules come back as they are: awaiting them anyway would cost every request a turn.
  const checkRules = typeof rules === 'function' ? rules : await rules;
  const receivedAt = new Date();
  const results: IngestResult[] = [];
  const rows: QueueInsertRow[] = [];
  const rowIndex: number[] = [];
  items.forEach((item, i) => {
    const problems = validateItem(item, pointerPrefix(i), checkRules);
    if (problems.length > 0) {
      results.push({ outcome: 'rejected', problems });
      deps.metrics.eventsRejected.inc({ reason: 'validation_failed' });
      return;
    }
    const envelope = item as EventEnvelope;
    rows.push({
      id: eventIdFor(principal.organizationId, envelope.dedup_id),
      organizationId: principal.organizationId,
      type: envelope.type,
      payload: envelope.payload,
      dedupId: envelope.dedup_id ?? null,
      occurredAt: envelope.occurred_at ? new Date(envelope.occurred_at) : receivedAt,
      receivedAt,
    });
    rowIndex.push(i);
    results.push({ outcome: 'rejected', problems: [] }); // replaced once committed
  });
  if (rows.length === 0) return results;

  const inserted = await commitRows(deps, rows);
  rows.forEach((row, k) => {
    const i = rowIndex[k]!;
    if (inserted === 'refused') {
      results[i] = {
        outcome: 'rejected',
        problems: [{ pointer: pointerPrefix(i) || '/', message: 'the database refused this event' }],
      };
      deps.metrics.eventsRejected.inc({ reason: 'unstorable' });
    } else if (inserted.has(row.id)) {
      // A batch may carry the same dedup_id twice: only the first occurrence is the accepted one.
      inserted.delete(row.id);
      results[i] = { outcome: 'accepted', id: row.id, receivedAt };
      deps.metrics.eventsAccepted.inc();
    } else {
      results[i] = { outcome: 'duplicate', id: row.id };
      deps.metrics.eventsDuplicate.inc();
    }
  });
  return results;
}

function validateItem(item: unknown, pointer: string, checkRules: PayloadRuleCheck): FieldProblem[] {
  const problems = checkEnvelope(item, pointer);
  if (problems.length > 0) return problems;
  const envelope = item as EventEnvelope;
  const payloadProblem = checkStorableJson(envelope.payload, `${pointer}/payload`);
  if (payloadProblem) return [payloadProblem];
  // The organization's own rules: its registered schema for the type, and strict mode.
  return checkRules(envelope.type, envelope.payload, pointer);
}

async function commitRows(deps: IngestDeps, rows: QueueInsertRow[]): Promise<Set<string> | 'refused'> {
  try {
    return claimInserted(await deps.committer.submit(rows), rows);
  } catch (err) {
    if (err instanceof RowsRefusedError) return 'refused';
    deps.metrics.eventsRejected.inc({ reason: 'service_unavailable' }, rows.length);
    throw err instanceof ApiError ? err : errors.unavailable();
  }
}
