/** Listings answer with this envelope. */
export interface Page<T> {
  data: T[];
  next_cursor: string | null;
  has_more: boolean;
}

/**
 * Turns `limit + 1` rows into a page: the extra row only tells whether there is more, and the
 * cursor points after the last row shown.
 */
export function toPage<R, T>(
  rows: R[],
  limit: number,
  cursorOf: (row: R) => string,
  toJson: (row: R) => T,
): Page<T> {
  const hasMore = rows.length > limit;
  const shown = hasMore ? rows.slice(0, limit) : rows;
  const last = shown.at(-1);
  return {
    data: shown.map(toJson),
    next_cursor: hasMore && last !== undefined ? cursorOf(last) : null,
    has_more: hasMore,
  };
}
