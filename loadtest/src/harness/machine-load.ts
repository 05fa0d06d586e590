import { readFile } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';

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

async function readCpuTimes(): Promise<{ idle: number; total: number } | null> {
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
