import type { CostPerEvent } from '../harness/cost-window.js';
import type { Measurement } from './scenario.js';

/**
 * The three costs per event as measurements `<prefix>.pg-commits-per-event`,
 * `<prefix>.redis-commands-per-delivery` and `<prefix>.cpu-ms-per-event`; `at` says at which rate
 * (e.g. `@ 500 events/s`).
 */
export function costMeasurements(
  prefix: string,
  subject: string,
  at: string,
  cost: CostPerEvent,
  section?: string,
): Measurement[] {
  const figure = (id: string, label: string, unit: Measurement['unit'], value: number): Measurement => ({
    id: `${prefix}.${id}`,
    subject,
    figure: `${label} ${at}`,
    unit,
    value,
    better: 'lower',
    ...(section ? { section } : {}),
  });
  return [
    figure('pg-commits-per-event', 'Postgres commits per event', 'commits/event', cost.pgCommitsPerEvent),
    figure(
      'redis-commands-per-delivery',
      'Redis commands per delivery',
      'commands/delivery',
      cost.redisCommandsPerDelivery,
    ),
    figure(
      'cpu-ms-per-event',
      'CPU per event (services, Postgres, Redis)',
      'CPU ms/event',
      cost.cpuMsPerEvent,
    ),
  ];
}

/** `cost: 0.412 commits/event, 14.2 Redis commands/delivery, 2.31 CPU ms/event (over 4,312 events)`. */
export function describeCost(cost: CostPerEvent): string {
  const fixed = (value: number, digits: number) => (Number.isFinite(value) ? value.toFixed(digits) : '–');
  return `cost: ${fixed(cost.pgCommitsPerEvent, 3)} commits/event, ${fixed(cost.redisCommandsPerDelivery, 1)} Redis commands/delivery, ${fixed(cost.cpuMsPerEvent, 2)} CPU ms/event (over ${cost.events} events, ${cost.deliveries} deliveries)`;
}
