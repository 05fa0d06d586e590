import { toQueuedEventParams, type QueuedEventParams } from '@triggers/db';
import type { Principal } from '../auth/api-key-authenticator.js';
import { ApiError, errors, type FieldProblem } from '../http/api-error.js';
import type { IngestMetrics } from '../metrics.js';
import { eventIdFor } from './event-ids.js';
import { checkEvent, type CheckedEvent } from './event-envelope.js';
import { claimInserted, RowsRefusedError, type QueueCommitter } from './queue-committer.js';
import type { EventTypeValidators } from '../event-types/event-type-validators.js';
import { payloadRules } from '../event-types/payload-rules.js';

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
 * Validates each item on its own, commits the valid ones together (one group-commit submission, so
 * a batch is one statement) and returns one result per item, in order. The order matters: each
 * item is checked and its row built first (everything that can throw or be refused), then only
 * validated types are looked up, then rows are shared. An invalid item fails alone; rows Postgres
 * refuses anyway fail only this request (the group commit isolates them). Throws 503 when Postgres
 * is unavailable: no item of the request is then reported accepted.
 */
export async function ingestEvents(
  deps: IngestDeps,
  principal: Principal,
  items: unknown[],
  pointerPrefix: (i: number) => string,
): Promise<IngestResult[]> {
  const receivedAt = new Date();
  const results: IngestResult[] = [];
  const checked: { index: number; event: CheckedEvent }[] = [];
  items.forEach((item, i) => {
    const event = checkEvent(item, pointerPrefix(i));
    if ('problems' in event) {
      results.push(rejected(deps, event.problems));
      return;
    }
    checked.push({ index: i, event });
    results.push({ outcome: 'rejected', problems: [] }); // replaced below
  });
  if (checked.length === 0) return results;

  // The organization's own rules (its registered schema for the type, and strict mode), looked up
  // for validated types only.
  const rules = payloadRules(
    deps.eventTypes,
    principal,
    checked.map((c) => c.event.envelope.type),
  );
  // Cached rules come back as they are: awaiting them anyway would cost every request a turn.
  const checkRules = typeof rules === 'function' ? rules : await rules;
  const rows: QueuedEventParams[] = [];
  const rowIndex: number[] = [];
  for (const { index, event } of checked) {
    const { envelope } = event;
    const problems = checkRules(envelope.type, envelope.payload, pointerPrefix(index));
    if (problems.length > 0) {
      results[index] = rejected(deps, problems);
      continue;
    }
    rows.push(
      toQueuedEventParams({
        id: eventIdFor(principal.organizationId, envelope.dedup_id),
        organizationId: principal.organizationId,
        type: envelope.type,
        payload: envelope.payload,
        dedupId: envelope.dedup_id ?? null,
        occurredAt: event.occurredAt ?? receivedAt,
        receivedAt,
      }),
    );
    rowIndex.push(index);
  }
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

function rejected(deps: IngestDeps, problems: FieldProblem[]): IngestResult {
  deps.metrics.eventsRejected.inc({ reason: 'validation_failed' });
  return { outcome: 'rejected', problems };
}

async function commitRows(deps: IngestDeps, rows: QueuedEventParams[]): Promise<Set<string> | 'refused'> {
  try {
    return claimInserted(await deps.committer.submit(rows), rows);
  } catch (err) {
    if (err instanceof RowsRefusedError) return 'refused';
    deps.metrics.eventsRejected.inc({ reason: 'service_unavailable' }, rows.length);
    throw err instanceof ApiError ? err : errors.unavailable();
  }
}
