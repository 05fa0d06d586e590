import { readFile } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import { readProcessSample } from './process-stats.js';

/** How busy the machine was while the benchmark itself did nothing, as a fraction of all cores. */
export interface MachineLoad {
  /** 0..1 over `sampleMs`, or null where /proc/stat is missing (not Linux). */
  busy: number | null;
  sampleMs: number;
  loadAverage1m: number;
  cores: number;
}

/**
 * Samples CPU use for `sampleMs` before anything starts: other work on the machine (a test suite,
 * a build) takes cores from both the server and the load generator, and the figures mean little then.
 */
export async function sampleMachineLoad(sampleMs = 1000): Promise<MachineLoad> {
  const before = await readCpuTimes();
  await new Promise((resolve) => setTimeout(resolve, sampleMs));
  const after = await readCpuTimes();
  const busy =
    before && after && after.total > before.total
      ? 1 - (after.idle - before.idle) / (after.total - before.total)
      : null;
  return { busy, sampleMs, loadAverage1m: loadavg()[0] ?? 0, cores: cpus().length };
}

export async function readCpuTimes(): Promise<{ idle: number; total: number } | null> {
  try {
    const line = (await readFile('/proc/stat', 'utf8')).split('\n')[0] ?? '';
    // cpu user nice system idle iowait irq softirq steal …
    const fields = line.trim().split(/\s+/).slice(1).map(Number);
    const total = fields.reduce((sum, value) => sum + value, 0);
    const idle = (fields[3] ?? 0) + (fields[4] ?? 0);
    return { idle, total };
  } catch {
    return null;
  }
}

/** CPU use over a window: the whole machine, the bench process and each service, in cores. */
export interface CpuReport {
  seconds: number;
  cores: number;
  /** Cores busy on the whole machine (0..cores). */
  machine: number;
  /** Cores used by the bench process (load generator, pollers). */
  bench: number;
  /** Cores used by each named process. */
  processes: Record<string, number>;
  /** Cores used by everything else: Postgres, Redis, other work on the machine. */
  rest: number;
}

/**
 * Starts measuring CPU use of the machine, this process and `processes`; `finish` tells what each
 * used since. Says what bounded a throughput figure on a machine of few cores.
 */
export async function startCpuWindow(
  processes: readonly { name: string; pid: number }[],
): Promise<{ finish: () => Promise<CpuReport> }> {
  const read = async () =>
    Promise.all(processes.map(async ({ pid }) => (await readProcessSample(pid))?.cpuSeconds ?? NaN));
  const [machineBefore, processesBefore] = await Promise.all([readCpuTimes(), read()]);
  const benchBefore = process.cpuUsage();
  const at = performance.now();
  return {
    finish: async () => {
      const [machineAfter, processesAfter] = await Promise.all([readCpuTimes(), read()]);
      const seconds = (performance.now() - at) / 1000;
      const cores = cpus().length;
      const machine =
        machineBefore && machineAfter && machineAfter.total > machineBefore.total
          ? (1 - (machineAfter.idle - machineBefore.idle) / (machineAfter.total - machineBefore.total)) *
            cores
          : NaN;
      const benchUsage = process.cpuUsage(benchBefore);
      const bench = (benchUsage.user + benchUsage.system) / 1e6 / seconds;
      const shares: Record<string, number> = {};
      processes.forEach(({ name }, index) => {
        shares[name] = (processesAfter[index]! - processesBefore[index]!) / seconds;
      });
      const ours =
        bench + Object.values(shares).reduce((sum, share) => sum + (Number.isFinite(share) ? share : 0), 0);
      return { seconds, cores, machine, bench, processes: shares, rest: Math.max(0, machine - ours) };
    },
  };
}

/** `cpu 1.9/2 cores: ingest-api 0.95, bench 0.60, rest (Postgres, Redis, other) 0.35`. */
export function describeCpu(report: CpuReport): string {
  const part = (name: string, cores: number) => `${name} ${Number.isFinite(cores) ? cores.toFixed(2) : '–'}`;
  return [
    `cpu ${Number.isFinite(report.machine) ? report.machine.toFixed(2) : '–'}/${report.cores} cores:`,
    [
      ...Object.entries(report.processes).map(([name, cores]) => part(name, cores)),
      part('bench', report.bench),
      part('rest (Postgres, Redis, other)', report.rest),
    ].join(', '),
  ].join(' ');
}
