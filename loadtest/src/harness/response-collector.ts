/** Status counts and accepted ids of one load phase, filled by whichever load generator ran it. */
export interface CollectedResponses {
  /** Responses by HTTP status, e.g. `{ "202": 29114, "503": 12 }`. */
  statusCounts: Record<string, number>;
  /** The `id` of every 202 answer, in arrival order. */
  acceptedIds: string[];
  /** 202 answers whose body had no string `id` (a contract breach, reported). */
  acceptedWithoutId: number;
  /** First body of each non-202 status, to explain failures. */
  sampleBodies: Record<string, string>;
}

export interface ResponseCollector {
  record: (status: number, body: string) => void;
  result: () => CollectedResponses;
}

/**
 * Collects answers; `idsOf` reads the accepted ids of one answer body (default: its `id`, as
 * `POST /api/events` answers; batches answer one id per item). Undefined means "no id found".
 */
export function createResponseCollector(
  acceptedStatus = 202,
  idsOf: (body: string) => string[] | undefined = singleId,
): ResponseCollector {
  const collected: CollectedResponses = {
    statusCounts: {},
    acceptedIds: [],
    acceptedWithoutId: 0,
    sampleBodies: {},
  };
  return {
    record: (status, body) => {
      const key = String(status);
      collected.statusCounts[key] = (collected.statusCounts[key] ?? 0) + 1;
      if (status !== acceptedStatus) {
        collected.sampleBodies[key] ??= body.slice(0, 500);
        return;
      }
      const ids = idsOf(body);
      if (ids === undefined) collected.acceptedWithoutId += 1;
      else for (const id of ids) collected.acceptedIds.push(id);
    },
    result: () => collected,
  };
}

function singleId(body: string): string[] | undefined {
  try {
    const parsed: unknown = JSON.parse(body);
    if (typeof parsed === 'object' && parsed !== null && 'id' in parsed && typeof parsed.id === 'string') {
      return [parsed.id];
    }
  } catch {
    // counted as an accepted answer without id
  }
  return undefined;
}

/**
 * The ids of the events a `POST /api/events/batch` answer accepted as new (duplicates and
 * rejected items left out); undefined when the body is not such an answer.
 */
export function batchIds(body: string): string[] | undefined {
  try {
    const parsed = JSON.parse(body) as { results?: { status?: string; id?: string; duplicate?: boolean }[] };
    if (!Array.isArray(parsed.results)) return undefined;
    return parsed.results.flatMap((item) =>
      item.status === 'accepted' && item.duplicate !== true && typeof item.id === 'string' ? [item.id] : [],
    );
  } catch {
    return undefined;
  }
}

/** Sum of responses whose status is not `status`. */
export function countOtherThan(statusCounts: Record<string, number>, status: number): number {
  return Object.entries(statusCounts).reduce(
    (sum, [code, count]) => (code === String(status) ? sum : sum + count),
    0,
  );
}
