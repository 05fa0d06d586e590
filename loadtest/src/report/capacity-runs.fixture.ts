import type { ScenarioRun } from './aggregate.js';

/** A capacity run as the results file stores it: measurements, and the curve in its details. */
export function capacityRun(
  run: number,
  capacity: number,
  curve: unknown[],
  bareExpressRate = 10_000,
): ScenarioRun {
  return {
    scenario: 'capacity',
    run,
    seconds: 60,
    outcome: {
      measurements: [
        {
          id: 'capacity.rate',
          subject: 'pipeline',
          figure: 'capacity',
          unit: 'events/s',
          value: capacity,
          better: 'higher',
          ceilings: ['capacity.bare-express.max-rate'],
        },
      ],
      checks: [],
      details: { curve, bareExpressRate },
    },
  };
}

/** One step of the curve a capacity run keeps in its details. */
export const step = (rate: number, p95: number, held = p95 <= 250) => ({
  rate,
  fraction: rate / 10_000,
  p50: p95 / 3,
  p95,
  p99: p95 * 2,
  deliveredPerSecond: rate,
  held,
});
