import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { BenchOptions } from '../options/bench-options.js';
import type { Check } from '../scenarios/scenario.js';
import type { ScenarioRun, SummaryRow } from './aggregate.js';
import type { Comparison } from './compare.js';
import type { TargetResult } from './targets.js';

/** What `results/<timestamp>.json` holds (NaN figures are written as null). */
export interface ResultsFile {
  startedAt: string;
  finishedAt: string;
  ok: boolean;
  machine: {
    description: string;
    cpus: number;
    totalMemoryBytes: number;
    node: string;
    /** Share of all cores busy during 1 s before the start, and after the end. */
    busyBeforeStart: number | null;
    busyAfterEnd?: number | null;
    /** Share of all cores busy, sampled for 0.3 s before each scenario (nothing of ours running). */
    busyBetweenScenarios?: number[];
    loadAverage1mBeforeStart: number;
  };
  options: BenchOptions;
  /** How the load was made, one line each (as printed). */
  load?: string[];
  summary: SummaryRow[];
  checks: (Check & { run: number; scenario: string })[];
  targets?: TargetResult[];
  comparison?: { file: string; threshold: number; figures: Comparison[] };
  runs: ScenarioRun[];
}

/** Writes `<dir>/<timestamp>.json` (colons left out, so the name is valid everywhere); returns the path. */
export async function writeResults(dir: string, startedAt: Date, results: ResultsFile): Promise<string> {
  await mkdir(dir, { recursive: true });
  const stamp = startedAt
    .toISOString()
    .replace(/[:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
  const path = join(dir, `${stamp}.json`);
  await writeFile(path, `${JSON.stringify(results, replaceNonFinite, 2)}\n`);
  return path;
}

/** Reads a results file; the nulls written for NaN come back as NaN in figures. */
export async function readResults(path: string): Promise<ResultsFile> {
  const parsed = JSON.parse(await readFile(path, 'utf8'), (key, value: unknown) =>
    value === null && FIGURE_KEYS.has(key) ? NaN : value,
  ) as ResultsFile;
  if (!Array.isArray(parsed.summary)) throw new Error(`${path} is not a benchmark results file`);
  return parsed;
}

/** The newest `<timestamp>.json` in `dir` (the names sort by time). */
export async function latestResultsFile(dir: string): Promise<string> {
  const files = (await readdir(dir)).filter((name) => /^\d{4}-\d{2}-\d{2}T\d{6}Z\.json$/.test(name)).sort();
  const latest = files.at(-1);
  if (latest === undefined) throw new Error(`no results file in ${dir}: run \`pnpm bench\` first`);
  return join(dir, latest);
}

const FIGURE_KEYS = new Set(['median', 'min', 'max', 'value']);

// JSON has no NaN or Infinity; null says "not measured" more honestly than a stringified NaN.
function replaceNonFinite(_key: string, value: unknown): unknown {
  return typeof value === 'number' && !Number.isFinite(value) ? null : value;
}
