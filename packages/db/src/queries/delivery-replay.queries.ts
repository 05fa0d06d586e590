import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../database.js';
import type { Delivery, DeliveryStatus } from '../tables/deliveries.table.js';
import { allOf, exactTimestamp, type KeysetPosition } from './listing.js';

/** Deliveries that may be sent again: finished ones. Pending and failed ones are already scheduled. */
export const REPLAYABLE_STATUSES = ['dead', 'delivered'] as const satisfies readonly DeliveryStatus[];
export type ReplayableStatus = (typeof REPLAYABLE_STATUSES)[number];

/**
 * A delivery as it was before a replay reset it: what a failed hand-off to the queue restores.
 * Its `replays` is the run the replay starts (the counter after the reset), which its job carries.
 */
export interface ReplayedDelivery extends Pick<
  Delivery,
  | 'id'
  | 'eventId'
  | 'endpointId'
  | 'organizationId'
  | 'attempts'
  | 'nextAttemptAt'
  | 'lastStatusCode'
  | 'lastError'
  | 'replays'
> {
  status: ReplayableStatus;
}

export type ReplayOutcome =
  | { outcome: 'replayed'; previous: ReplayedDelivery }
  | { outcome: 'not_replayable'; status: DeliveryStatus }
  | { outcome: 'not_found' };

export interface ReplayFilter {
  status: ReplayableStatus;
  endpointId?: string;
  /** created_at >= from */
  from?: Date;
  /** created_at < to */
  to?: Date;
}

// The reset every replay applies: a fresh run of attempts, with its own number (the jobs of earlier
// runs see another number and do not send).
const RESET = sql`
  status = 'pending', attempts = 0, next_attempt_at = NULL, last_error = NULL, last_status_code = NULL,
  replays = replays + 1, updated_at = now()`;

/**
 * Resets one finished delivery for a new run of attempts. The row is locked and its status checked
 * in the UPDATE itself, so of two concurrent replays one resets it and the other sees `pending`.
 */
export async function resetDeliveryForReplay(
  db: Kysely<Database>,
  organizationId: string,
  id: string,
): Promise<ReplayOutcome> {
  return db.transaction().execute(async (trx) => {
    const { rows } = await sql<ReplayedDelivery>`
      SELECT id, event_id, endpoint_id, organization_id, status, attempts, next_attempt_at,
             last_status_code, last_error, replays + 1 AS replays
      FROM deliveries WHERE id = ${id} AND organization_id = ${organizationId}
      FOR UPDATE`.execute(trx);
    const previous = rows[0];
    if (!previous) return { outcome: 'not_found' };
    if (!(REPLAYABLE_STATUSES as readonly string[]).includes(previous.status)) {
      return { outcome: 'not_replayable', status: previous.status };
    }
    await sql`
      UPDATE deliveries SET ${RESET}
      WHERE id = ${id} AND status IN ('dead', 'delivered')`.execute(trx);
    return { outcome: 'replayed', previous };
  });
}

/**
 * Resets the next chunk of deliveries matching `filter` after `after` (oldest first), in one
 * statement; returns them as they were. Walking by (created_at, id) visits each row once, so a
 * replayed delivery that is delivered again during the walk is not replayed twice.
 */
export async function resetDeliveryChunkForReplay(
  db: Kysely<Database> | Transaction<Database>,
  organizationId: string,
  filter: ReplayFilter,
  after: KeysetPosition | undefined,
  limit: number,
): Promise<{ deliveries: ReplayedDelivery[]; last: KeysetPosition | undefined }> {
  const { rows } = await sql<ReplayedDelivery & { positionAt: string }>`
    WITH target AS (
      SELECT id, event_id, endpoint_id, organization_id, status, attempts, next_attempt_at,
             last_status_code, last_error, created_at, ${exactTimestamp('created_at')} AS position_at
      FROM deliveries
      WHERE ${replayConditions(organizationId, filter)}
        ${afterPosition(after)}
      ORDER BY created_at, id
      LIMIT ${limit}
      FOR UPDATE
    )
    UPDATE deliveries d SET ${RESET}
    FROM target t
    WHERE d.id = t.id AND d.status = t.status
    RETURNING t.id, t.event_id, t.endpoint_id, t.organization_id, t.status, t.attempts,
              t.next_attempt_at, t.last_status_code, t.last_error, d.replays, t.position_at`.execute(db);
  const deliveries = rows.map(({ positionAt: _, ...d }) => d);
  const lastRow = rows.reduce<(typeof rows)[number] | undefined>(
    (max, r) =>
      !max || r.positionAt > max.positionAt || (r.positionAt === max.positionAt && r.id > max.id) ? r : max,
    undefined,
  );
  return { deliveries, last: lastRow && { at: lastRow.positionAt, id: lastRow.id } };
}

/** How many deliveries a bulk replay with `filter` would reset now, after `after` if given (the dry run). */
export async function countReplayableDeliveries(
  db: Kysely<Database>,
  organizationId: string,
  filter: ReplayFilter,
  after?: KeysetPosition,
): Promise<number> {
  const { rows } = await sql<{ n: number }>`
    SELECT count(*)::int AS n FROM deliveries
    WHERE ${replayConditions(organizationId, filter)} ${afterPosition(after)}`.execute(db);
  return rows[0]?.n ?? 0;
}

/** Whether any delivery matching `filter` after `after` is left to replay (one index probe, not a count). */
export async function hasReplayableDeliveries(
  db: Kysely<Database>,
  organizationId: string,
  filter: ReplayFilter,
  after: KeysetPosition,
): Promise<boolean> {
  const { rows } = await sql<{ found: boolean }>`
    SELECT EXISTS (
      SELECT 1 FROM deliveries WHERE ${replayConditions(organizationId, filter)} ${afterPosition(after)}
    ) AS found`.execute(db);
  return rows[0]?.found ?? false;
}

/**
 * Puts deliveries back as they were before a replay whose jobs could not be queued, unless
 * something has moved them on since (then a job did reach the deliverer). `replays` keeps its new
 * number: no job of that run exists, and the earlier runs' jobs must stay superseded.
 */
export async function restoreReplayedDeliveries(
  db: Kysely<Database>,
  previous: readonly ReplayedDelivery[],
): Promise<void> {
  if (previous.length === 0) return;
  await sql`
    UPDATE deliveries d
    SET status = p.status, attempts = p.attempts, next_attempt_at = p.next_attempt_at,
        last_status_code = p.last_status_code, last_error = p.last_error, updated_at = now()
    FROM unnest(
      ${previous.map((p) => p.id)}::uuid[],
      ${previous.map((p) => p.status)}::text[],
      ${previous.map((p) => p.attempts)}::int[],
      ${previous.map((p) => p.nextAttemptAt?.toISOString() ?? null)}::timestamptz[],
      ${previous.map((p) => p.lastStatusCode)}::int[],
      ${previous.map((p) => p.lastError)}::text[]
    ) AS p (id, status, attempts, next_attempt_at, last_status_code, last_error)
    WHERE d.id = p.id AND d.status = 'pending' AND d.attempts = 0`.execute(db);
}

function replayConditions(organizationId: string, filter: ReplayFilter) {
  return allOf([
    sql<boolean>`organization_id = ${organizationId}`,
    sql<boolean>`status = ${filter.status}`,
    filter.endpointId === undefined ? undefined : sql<boolean>`endpoint_id = ${filter.endpointId}`,
    filter.from === undefined ? undefined : sql<boolean>`created_at >= ${filter.from}`,
    filter.to === undefined ? undefined : sql<boolean>`created_at < ${filter.to}`,
  ]);
}

/** Rows after a keyset position in (created_at, id) order, the order bulk replays walk. */
function afterPosition(after: KeysetPosition | undefined) {
  return after ? sql`AND (created_at, id) > (${after.at}::text::timestamptz, ${after.id}::uuid)` : sql``;
}
