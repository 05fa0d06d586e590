import type { Sql, TransactionSql } from 'postgres';

/**
 * Did Postgres refuse the rows themselves? SQLSTATE classes 22 (data exception: a NUL in text, a
 * malformed uuid, a date out of range), 23 (integrity: a row whose organization was deleted
 * meanwhile) and 54 (program limit exceeded: a value too large). The same rows would be refused
 * again; other rows written by the same statement were not at fault.
 */
export function isRefusedRowError(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^(22|23|54)[0-9A-Z]{3}$/.test(code);
}

/**
 * Finds the groups that a refused write could not carry, by bisection, and gives every group the
 * outcome of the part that wrote it. `writePart` writes some groups together and must leave nothing
 * behind when it throws (a savepoint, in `writeIsolatingRefusedRows`).
 *
 * The batch as a whole already failed (`firstError`), so it is split at once: one refused group
 * among n costs about 2·log2(n) parts, never one part per group. An error that is not a refusal
 * (`refuses` false: the connection died) ends the whole search, and is thrown.
 */
export async function bisectRefusedGroups<Result>(
  groupCount: number,
  writePart: (groups: readonly number[]) => Promise<Result>,
  firstError: unknown,
  refuses: (err: unknown) => boolean = isRefusedRowError,
): Promise<PromiseSettledResult<Result>[]> {
  const outcomes: PromiseSettledResult<Result>[] = new Array<PromiseSettledResult<Result>>(groupCount);
  const visit = async (part: readonly number[], knownError: unknown): Promise<void> => {
    let error = knownError;
    if (error === undefined) {
      try {
        const value = await writePart(part);
        for (const g of part) outcomes[g] = { status: 'fulfilled', value };
        return;
      } catch (err) {
        if (!refuses(err)) throw err;
        error = err;
      }
    }
    if (part.length === 1) {
      outcomes[part[0]!] = { status: 'rejected', reason: error };
      return;
    }
    const middle = Math.ceil(part.length / 2);
    await visit(part.slice(0, middle), undefined);
    await visit(part.slice(middle), undefined);
  };
  await visit(
    Array.from({ length: groupCount }, (_, g) => g),
    firstError ?? new Error('the batch was refused'),
  );
  return outcomes;
}

/**
 * Writes a batch whose shared statement Postgres refused again, in ONE transaction and one commit,
 * so that a refused group (one request's or one delivery's rows) fails alone: the groups are written
 * in parts under savepoints, halving any part that is refused (see `bisectRefusedGroups`). Every
 * other group commits, with the result of the statement that carried it. Only an error that is not
 * a refusal (the connection, a timeout) fails every group, by rejecting.
 *
 * `orderBy` keeps a statement that locks rows in key order doing so across the whole transaction:
 * the parts are written in that order, so one part never waits for a row below a row an earlier
 * part holds (two such transactions could otherwise deadlock).
 */
export async function writeIsolatingRefusedRows<Row, Result>(
  sql: Sql,
  groups: readonly (readonly Row[])[],
  write: (trx: TransactionSql, rows: Row[]) => Promise<Result>,
  firstError: unknown,
  options: { refuses?: (err: unknown) => boolean; orderBy?: (group: readonly Row[]) => string } = {},
): Promise<PromiseSettledResult<Result>[]> {
  const { refuses = isRefusedRowError, orderBy } = options;
  const order = groups.map((_, g) => g);
  if (orderBy) {
    const keys = groups.map(orderBy);
    order.sort((a, b) => (keys[a]! < keys[b]! ? -1 : keys[a]! > keys[b]! ? 1 : 0));
  }
  const sorted = await sql.begin((trx) =>
    bisectRefusedGroups(
      order.length,
      (part) =>
        trx.savepoint((sp) =>
          write(
            sp,
            part.flatMap((p) => groups[order[p]!]!),
          ),
        ) as Promise<Result>,
      firstError,
      refuses,
    ),
  );
  const outcomes = new Array<PromiseSettledResult<Result>>(groups.length);
  order.forEach((g, p) => (outcomes[g] = (sorted as PromiseSettledResult<Result>[])[p]!));
  return outcomes;
}
