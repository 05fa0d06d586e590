import postgres from 'postgres';

export interface AcceptedRowsReport {
  /** Distinct ids answered 202. */
  checked: number;
  /** Ids answered 202 more than once (dedup collapsing bodies meant to be unique). */
  duplicates: number;
  /** Ids answered 202 that are in neither `event_queue` nor `events`: broken durability promises. */
  missing: string[];
}

/**
 * Looks up every id the API answered 202 for. An accepted event is either still queued or
 * already processed, so both tables count; this keeps the check valid once a processor runs.
 */
export async function findMissingAcceptedRows(
  databaseUrl: string,
  ids: string[],
): Promise<AcceptedRowsReport> {
  const distinct = [...new Set(ids)];
  const sql = postgres(databaseUrl, { max: 1, onnotice: () => {} });
  const missing: string[] = [];
  try {
    for (let start = 0; start < distinct.length; start += 10_000) {
      const chunk = distinct.slice(start, start + 10_000);
      const rows = await sql<{ id: string }[]>`
        SELECT t.id::text AS id
        FROM unnest(${chunk}::uuid[]) AS t(id)
        WHERE NOT EXISTS (SELECT 1 FROM event_queue q WHERE q.id = t.id)
          AND NOT EXISTS (SELECT 1 FROM events e WHERE e.id = t.id)`;
      missing.push(...rows.map((row) => row.id));
    }
  } finally {
    await sql.end();
  }
  return { checked: distinct.length, duplicates: ids.length - distinct.length, missing };
}
