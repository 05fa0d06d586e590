/** One reading of a counter that only grows: `at` in ms, any clock. */
export interface CounterSample {
  at: number;
  value: number;
}

/**
 * The counter's rate per second, as the least-squares slope through every sample. A counter that
 * is published in steps (Postgres's statistics, about once a second per backend) reads a random
 * part of a step behind at any instant; the slope through many readings is not thrown off by
 * where the first and last fell, as a difference of two readings is. NaN with fewer than two
 * instants.
 */
export function fitRatePerSecond(samples: readonly CounterSample[]): number {
  const n = samples.length;
  if (n < 2) return NaN;
  const meanAt = samples.reduce((sum, sample) => sum + sample.at, 0) / n;
  const meanValue = samples.reduce((sum, sample) => sum + sample.value, 0) / n;
  let covariance = 0;
  let variance = 0;
  for (const { at, value } of samples) {
    covariance += (at - meanAt) * (value - meanValue);
    variance += (at - meanAt) ** 2;
  }
  return variance > 0 ? (covariance / variance) * 1000 : NaN;
}
