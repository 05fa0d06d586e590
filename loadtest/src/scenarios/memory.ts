import type { ProcessSample } from '../harness/process-stats.js';
import type { ServiceProcess } from '../harness/service-process.js';
import type { Measurement } from './scenario.js';

export const MEMORY_SECTION = 'Memory: peak RSS of each service during the measurements';

const MB = 1024 * 1024;

/**
 * One peak-RSS figure per kind of service among `services` (the highest instance when scaled
 * out), sampled every 250 ms from start to stop. Ids: `memory.<scenario>.<service>`.
 */
export function peakRssMeasurements(scenario: string, services: readonly ServiceProcess[]): Measurement[] {
  const peaks = new Map<string, number>();
  for (const service of services) {
    peaks.set(service.service, Math.max(peaks.get(service.service) ?? 0, service.child.usage().peakRssBytes));
  }
  return [...peaks.entries()].map(([service, bytes]) => ({
    id: `memory.${scenario}.${service}`,
    subject: service,
    figure: `peak RSS in ${scenario}`,
    unit: 'MB',
    value: bytes / MB,
    better: 'lower',
    section: MEMORY_SECTION,
  }));
}

export function toMB(bytes: number): number {
  return bytes / MB;
}

/**
 * The bound on memory growth under sustained load: from the first fifth of the soak to the last,
 * a service's RSS may grow by at most this much (MB) or this share of its start, whichever is
 * larger. Garbage collection makes RSS swing by a few MB from one sample to the next; a leak of a
 * few hundred bytes per event shows as tens of MB over a minute at 1,000 events/s.
 */
export const SOAK_GROWTH_BOUND = { mb: 16, share: 0.1 };

/** RSS at the start, middle and end of a window: medians of the samples in its first, middle and last fifth. */
export function rssThroughWindow(
  samples: readonly ProcessSample[],
  from: number,
  to: number,
): { start: number; middle: number; end: number } {
  const fifth = (to - from) / 5;
  const medianBetween = (a: number, b: number): number => {
    const values = samples
      .filter((sample) => sample.at >= a && sample.at <= b)
      .map((sample) => sample.rssBytes)
      .sort((x, y) => x - y);
    return values.length === 0 ? NaN : values[Math.floor(values.length / 2)]!;
  };
  return {
    start: medianBetween(from, from + fifth),
    middle: medianBetween(from + 2 * fifth, from + 3 * fifth),
    end: medianBetween(to - fifth, to),
  };
}

/** Whether growth from start to end stays within SOAK_GROWTH_BOUND. */
export function withinGrowthBound(startMB: number, endMB: number): boolean {
  return endMB - startMB <= Math.max(SOAK_GROWTH_BOUND.mb, startMB * SOAK_GROWTH_BOUND.share);
}
