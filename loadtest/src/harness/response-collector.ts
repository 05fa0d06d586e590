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

export function createResponseCollector(acceptedStatus = 202): ResponseCollector {
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
      const id = readId(body);
      if (id === undefined) collected.acceptedWithoutId += 1;
      else collected.acceptedIds.push(id);
    },
    result: () => collected,
  };
}

function readId(body: string): string | undefined {
  try {
    const parsed: unknown = JSON.parse(body);
    if (typeof parsed === 'object' && parsed !== null && 'id' in parsed && typeof parsed.id === 'string') {
      return parsed.id;
    }
  } catch {
    // counted as an accepted answer without id
  }
  return undefined;
}

/** Sum of responses whose status is not `status`. */
export function countOtherThan(statusCounts: Record<string, number>, status: number): number {
  return Object.entries(statusCounts).reduce(
    (sum, [code, count]) => (code === String(status) ? sum : sum + count),
    0,
  );
}
