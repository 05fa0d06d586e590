import type { Sql, TransactionSql } from 'postgres';
import type { RawRow } from '../raw-row.js';
import type { Delivery } from '../tables/deliveries.table.js';

/** What a delivery job needs to find its delivery; the deliverer reads the rest from Postgres. */
export type CreatedDelivery = Pick<Delivery, 'id' | 'eventId' | 'endpointId' | 'organizationId'>;

export interface ProcessedBatch {
  /** Queue rows claimed and removed. */
  claimed: number;
  /** Of those, events newly stored; the rest were duplicates of stored events. */
  persisted: number;
  deliveries: CreatedDelivery[];
  /** The hand-off row to delete once the deliveries' jobs are in BullMQ; null when there are none. */
  handoffId: number | null;
}

/**
 * Moves up to `limit` queued events into `events` and creates their deliveries, in ONE statement,
 * hence one transaction: claiming (SKIP LOCKED, so processors share the queue), storing with
 * ON CONFLICT DO NOTHING (the event id and (organization, dedup_id) are the source of truth for
 * dedup), creating one delivery per enabled endpoint whose filter matches, recording the hand-off
 * and deleting the queue rows commit together or not at all. A crash at any instant leaves each
 * event either still queued or stored with its deliveries: nothing accepted is lost.
 *
 * Filters: an empty list or `*` matches every type; `prefix.*` matches every type under `prefix.`
 * (any depth); anything else matches exactly.
 */
export async function processQueuedBatch(sql: Sql, limit: number): Promise<ProcessedBatch> {
  const [row] = await sql<
    {
      claimed: number;
      persisted: number;
      delivery_ids: string[] | null;
      event_ids: string[] | null;
      endpoint_ids: string[] | null;
      organization_ids: string[] | null;
      handoff_id: number | null;
    }[]
  >`
    WITH claimed AS (
      DELETE FROM event_queue
      -- = ANY(ARRAY(…)), not IN (…): with IN the planner hashes the claimed seqs and scans the
      -- whole queue, so each batch would cost more the deeper the backlog.
      WHERE seq = ANY (ARRAY(SELECT seq FROM event_queue ORDER BY seq LIMIT ${limit} FOR UPDATE SKIP LOCKED))
      RETURNING *
    ), persisted AS (
      INSERT INTO events (id, organization_id, type, payload, dedup_id, occurred_at, received_at)
      SELECT c.id, c.organization_id, c.type, c.payload, c.dedup_id, c.occurred_at, c.received_at
      FROM claimed c
      -- An organization deleted since ingest has nothing left to receive its events.
      WHERE EXISTS (SELECT 1 FROM organizations o WHERE o.id = c.organization_id)
      ORDER BY c.seq
      ON CONFLICT DO NOTHING
      RETURNING id, organization_id, type
    ), created AS (
      INSERT INTO deliveries (id, organization_id, event_id, endpoint_id)
      SELECT gen_random_uuid(), p.organization_id, p.id, e.id
      FROM persisted p
      JOIN endpoints e ON e.organization_id = p.organization_id AND e.enabled
      WHERE cardinality(e.event_types) = 0
         OR EXISTS (
              SELECT 1 FROM unnest(e.event_types) AS f (filter)
              WHERE f.filter = p.type
                 OR f.filter = '*'
                 OR (right(f.filter, 2) = '.*' AND starts_with(p.type, left(f.filter, -1)))
            )
      RETURNING id, event_id, endpoint_id, organization_id
    ), handoff AS (
      INSERT INTO delivery_handoffs (delivery_ids)
      SELECT array_agg(id) FROM created HAVING count(*) > 0
      RETURNING id
    )
    -- Jobs go out in event order (the order events were committed), each event's deliveries side
    -- by side: consecutive jobs then go to different endpoints, so a worker taking the next 200
    -- does not find them all behind one endpoint's in-flight cap. Left to the plan, the order
    -- changed with the table statistics and cost a third of delivery throughput when grouped.
    SELECT
      (SELECT count(*) FROM claimed)::int AS claimed,
      (SELECT count(*) FROM persisted)::int AS persisted,
      array_agg(d.id ORDER BY c.seq, d.endpoint_id) AS delivery_ids,
      array_agg(d.event_id ORDER BY c.seq, d.endpoint_id) AS event_ids,
      array_agg(d.endpoint_id ORDER BY c.seq, d.endpoint_id) AS endpoint_ids,
      array_agg(d.organization_id ORDER BY c.seq, d.endpoint_id) AS organization_ids,
      (SELECT id FROM handoff) AS handoff_id
    FROM created d
    JOIN claimed c ON c.id = d.event_id`;
  if (!row) throw new Error('processQueuedBatch returned no row');
  const ids = row.delivery_ids ?? [];
  return {
    claimed: row.claimed,
    persisted: row.persisted,
    deliveries: ids.map((id, i) => ({
      id,
      eventId: row.event_ids![i]!,
      endpointId: row.endpoint_ids![i]!,
      organizationId: row.organization_ids![i]!,
    })),
    handoffId: row.handoff_id,
  };
}

/** Confirms that a batch's delivery jobs are in BullMQ. */
export async function completeHandoff(sql: Sql, handoffId: number): Promise<void> {
  await sql`DELETE FROM delivery_handoffs WHERE id = ${handoffId}`;
}

/**
 * Runs `requeue` for each of up to `limit` hand-offs older than `graceSeconds` (their processor died
 * before its jobs were added, or Redis was down), with the deliveries it names that still exist
 * (retention may have removed some), so that its jobs are made as the processor made them. The
 * hand-offs stay locked in one transaction while their jobs are added, and are deleted in it once
 * every `requeue` resolved: two sweepers never take the same one, and a failure leaves them for
 * the next run. Returns how many hand-offs and deliveries it took (0 when none was stale).
 */
export async function requeueStaleHandoffs(
  sql: Sql,
  graceSeconds: number,
  limit: number,
  requeue: (deliveries: CreatedDelivery[]) => Promise<void>,
): Promise<{ handoffs: number; deliveries: number }> {
  return sql.begin(async (trx) => {
    const { handoffIds, handoffs } = await claimStaleHandoffs(trx, graceSeconds, limit);
    if (handoffIds.length === 0) return { handoffs: 0, deliveries: 0 };
    let deliveries = 0;
    for (const handoff of handoffs) {
      await requeue(handoff);
      deliveries += handoff.length;
    }
    await deleteHandoffs(trx, handoffIds);
    return { handoffs: handoffIds.length, deliveries };
  });
}

/** Stale hand-offs, locked for the caller's transaction (SKIP LOCKED), with their deliveries. */
async function claimStaleHandoffs(
  trx: TransactionSql,
  graceSeconds: number,
  limit: number,
): Promise<{ handoffIds: number[]; handoffs: CreatedDelivery[][] }> {
  const handoffs = await trx<{ id: number }[]>`
    SELECT id FROM delivery_handoffs
    WHERE created_at < now() - make_interval(secs => ${graceSeconds})
    ORDER BY id LIMIT ${limit}
    FOR UPDATE SKIP LOCKED`;
  if (handoffs.length === 0) return { handoffIds: [], handoffs: [] };
  const handoffIds = handoffs.map((h) => h.id);
  const rows = await trx<RawRow<CreatedDelivery & { handoffId: number }>[]>`
    SELECT h.id AS handoff_id, d.id, d.event_id, d.endpoint_id, d.organization_id
    FROM delivery_handoffs h
    CROSS JOIN LATERAL unnest(h.delivery_ids) AS k (id)
    JOIN deliveries d ON d.id = k.id
    WHERE h.id = ANY(${handoffIds}::bigint[])`;
  const byHandoff = new Map<number, CreatedDelivery[]>(handoffIds.map((id) => [id, []]));
  for (const r of rows) {
    byHandoff.get(r.handoff_id)!.push({
      id: r.id,
      eventId: r.event_id,
      endpointId: r.endpoint_id,
      organizationId: r.organization_id,
    });
  }
  return { handoffIds, handoffs: [...byHandoff.values()] };
}

async function deleteHandoffs(trx: TransactionSql, handoffIds: number[]): Promise<void> {
  await trx`DELETE FROM delivery_handoffs WHERE id = ANY(${handoffIds}::bigint[])`;
}

/**
 * Deletes up to `limit` events received before `cutoff`, with their deliveries and attempts (by
 * cascade). Small statements keep locks short, so ingestion and processing never wait on retention.
 */
export async function pruneExpiredEvents(sql: Sql, cutoff: Date, limit: number): Promise<number> {
  const deleted = await sql`
    DELETE FROM events WHERE id IN (
      SELECT id FROM events WHERE received_at < ${cutoff} ORDER BY received_at LIMIT ${limit}
    )`;
  return deleted.count;
}

/** Deletes up to `limit` events acknowledged before `cutoff` whose every delivery succeeded. */
export async function pruneAcknowledgedDeliveredEvents(
  sql: Sql,
  cutoff: Date,
  limit: number,
): Promise<number> {
  const deleted = await sql`
    DELETE FROM events WHERE id IN (
      SELECT e.id FROM events e
      WHERE e.acknowledged_at < ${cutoff}
        AND NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.event_id = e.id AND d.status <> 'delivered')
      LIMIT ${limit}
    )`;
  return deleted.count;
}
