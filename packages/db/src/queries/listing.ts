import { sql, type RawBuilder } from 'kysely';

/**
 * A position in a keyset-ordered listing: a timestamp exactly as Postgres holds it (microseconds,
 * UTC, as text: a JavaScript Date would drop the microseconds and skip or repeat rows) and the id.
 */
export interface KeysetPosition {
  at: string;
  id: string;
}

/**
 * The exact text of a timestamptz column, for a `KeysetPosition`. Compare a position back as
 * `${at}::text::timestamptz`: a parameter Postgres types as timestamptz would be serialized by
 * postgres.js through a JavaScript Date, dropping the microseconds.
 */
export function exactTimestamp(column: string): RawBuilder<string> {
  return sql<string>`to_char(${sql.ref(column)} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
}

/**
 * An event-type filter as SQL: `order.created` matches exactly, `order.*` matches every type under
 * `order.` (any depth, as endpoint filters do), `*` matches everything (no condition).
 */
export function eventTypeCondition(column: string, filter: string): RawBuilder<boolean> | undefined {
  if (filter === '*') return undefined;
  if (filter.endsWith('.*')) return sql<boolean>`starts_with(${sql.ref(column)}, ${filter.slice(0, -1)})`;
  return sql<boolean>`${sql.ref(column)} = ${filter}`;
}

/** Conditions joined with AND (TRUE when there are none); absent (falsy) ones are skipped. */
export function allOf(conditions: (RawBuilder<boolean> | undefined | false | '')[]): RawBuilder<boolean> {
  const present = conditions.filter((c): c is RawBuilder<boolean> => Boolean(c));
  return present.length === 0 ? sql<boolean>`TRUE` : sql<boolean>`${sql.join(present, sql` AND `)}`;
}
