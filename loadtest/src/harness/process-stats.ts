import { readFile } from 'node:fs/promises';

/** Resident memory and CPU time of one process at one instant (Linux /proc). */
export interface ProcessSample {
  /** performance.now() of the bench process when the sample was read. */
  at: number;
  rssBytes: number;
  /** User + system CPU time since the process started, in seconds. */
  cpuSeconds: number;
}

/** Clock ticks per second of /proc/<pid>/stat times: 100 on every Linux we run on. */
const CLOCK_TICKS = 100;

/** VmRSS of a /proc/<pid>/status text, in bytes; undefined when absent (a zombie has none). */
export function parseVmRss(status: string): number | undefined {
  const match = /^VmRSS:\s+(\d+)\s+kB$/m.exec(status);
  return match ? Number(match[1]) * 1024 : undefined;
}

/** utime + stime of a /proc/<pid>/stat line, in seconds. */
export function parseCpuSeconds(stat: string): number | undefined {
  // The command name (field 2) is in parentheses and may hold spaces: count from the last `)`.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // After the name: state is field 3, so utime (14) and stime (15) are at offsets 11 and 12.
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  return Number.isFinite(utime) && Number.isFinite(stime) ? (utime + stime) / CLOCK_TICKS : undefined;
}

/** Reads one sample of `pid`; undefined once the process is gone or where /proc is missing. */
export async function readProcessSample(pid: number): Promise<ProcessSample | undefined> {
  try {
    const [status, stat] = await Promise.all([
      readFile(`/proc/${pid}/status`, 'utf8'),
      readFile(`/proc/${pid}/stat`, 'utf8'),
    ]);
    const rssBytes = parseVmRss(status);
    const cpuSeconds = parseCpuSeconds(stat);
    if (rssBytes === undefined || cpuSeconds === undefined) return undefined;
    return { at: performance.now(), rssBytes, cpuSeconds };
  } catch {
    return undefined;
  }
}

/** What a sampler saw of one process. */
export interface ProcessUsage {
  peakRssBytes: number;
  samples: ProcessSample[];
}

/** Samples a process every `intervalMs` until stopped; keeps every sample (a few per second). */
export function sampleProcess(
  pid: number,
  intervalMs = 250,
): { usage: () => ProcessUsage; stop: () => void } {
  const samples: ProcessSample[] = [];
  let peakRssBytes = 0;
  let reading = false;
  const read = async (): Promise<void> => {
    if (reading) return;
    reading = true;
    const sample = await readProcessSample(pid);
    reading = false;
    if (sample === undefined) return;
    samples.push(sample);
    peakRssBytes = Math.max(peakRssBytes, sample.rssBytes);
  };
  void read();
  const timer = setInterval(() => void read(), intervalMs);
  timer.unref();
  return {
    usage: () => ({ peakRssBytes, samples }),
    stop: () => clearInterval(timer),
  };
}

/** Share of one core a process used between two instants (1 = a whole core), from its samples. */
export function cpuShareBetween(samples: readonly ProcessSample[], from: number, to: number): number {
  const first = samples.find((sample) => sample.at >= from);
  const last = samples.findLast((sample) => sample.at <= to);
  if (first === undefined || last === undefined || last.at <= first.at) return NaN;
  return (last.cpuSeconds - first.cpuSeconds) / ((last.at - first.at) / 1000);
}

/** The sample closest to `at` (RSS at the start, middle or end of a phase). */
export function sampleNear(samples: readonly ProcessSample[], at: number): ProcessSample | undefined {
  let best: ProcessSample | undefined;
  for (const sample of samples) {
    if (best === undefined || Math.abs(sample.at - at) < Math.abs(best.at - at)) best = sample;
  }
  return best;
}

/** Highest RSS among the samples taken between two instants. */
export function peakRssBetween(samples: readonly ProcessSample[], from: number, to: number): number {
  let peak = NaN;
  for (const sample of samples) {
    if (sample.at < from || sample.at > to) continue;
    peak = Number.isNaN(peak) ? sample.rssBytes : Math.max(peak, sample.rssBytes);
  }
  return peak;
}
