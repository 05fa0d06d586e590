/** Latency figures in milliseconds, the set the design asks for. */
export interface LatencySummary {
  count: number;
  min: number;
  avg: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

/** Exact summary of raw samples (ms), nearest-rank percentiles; NaN everywhere when there are none. */
export function summarizeLatencies(samples: ArrayLike<number>): LatencySummary {
  const sorted = Float64Array.from(samples).sort();
  const count = sorted.length;
  if (count === 0) return { count, min: NaN, avg: NaN, p50: NaN, p95: NaN, p99: NaN, max: NaN };
  let sum = 0;
  for (const value of sorted) sum += value;
  const rank = (p: number): number =>
    sorted[Math.min(count - 1, Math.max(0, Math.ceil((p / 100) * count) - 1))]!;
  return {
    count,
    min: sorted[0]!,
    avg: sum / count,
    p50: rank(50),
    p95: rank(95),
    p99: rank(99),
    max: sorted[count - 1]!,
  };
}
