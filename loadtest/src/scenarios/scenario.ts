import type { BenchOptions } from '../options/bench-options.js';

/** Which direction is better for a figure; decides how ratios are worded. */
export type Better = 'higher' | 'lower';

export type Unit =
  | 'req/s'
  | 'ms'
  | 'events/s'
  | 'rows/s'
  | 'jobs/s'
  | 'deliveries/s'
  | 'MB'
  | 's'
  | '%'
  | 'commits/event'
  | 'commands/delivery'
  | 'CPU ms/event';

/** A figure someone else published, printed beside ours (e.g. the seed design's). */
export interface Reference {
  value: number;
  /** As printed, e.g. `~150 req/s`. */
  text: string;
}

/** One number a scenario measured in one run. */
export interface Measurement {
  /** Stable across runs and versions, e.g. `ingest.max-rate`; the key results are compared by. */
  id: string;
  /** What was measured, e.g. `ingest API`, `bare express 5`. */
  subject: string;
  /** Which figure of it, e.g. `max rate`, `p95 @ 500 req/s`. */
  figure: string;
  unit: Unit;
  value: number;
  better: Better;
  /** Ids of ceiling measurements (from any scenario of the same run) this figure reads against. */
  ceilings?: string[];
  reference?: Reference;
  /** Printed under this heading instead of its scenario's section (e.g. memory figures together). */
  section?: string;
}

/** A yes/no fact a scenario verified, e.g. "every 202 has its row". */
export interface Check {
  name: string;
  ok: boolean;
  /** `error` fails the benchmark (exit 1); `warn` is only reported. */
  severity: 'error' | 'warn';
  detail: string;
}

/** What one scenario returns for one run. */
export interface ScenarioOutcome {
  measurements: Measurement[];
  checks: Check[];
  /** Raw figures kept in the JSON results (status counts, latency summaries, settings). */
  details: Record<string, unknown>;
}

export interface ScenarioContext {
  options: BenchOptions;
  /** 1-based index of the current run. */
  run: number;
  log: (message: string) => void;
}

/**
 * A self-contained measurement: it starts what it needs (servers, databases), measures, and
 * stops everything it started, even when it fails. Scenarios never depend on each other's state;
 * they relate only through measurement ids (`ceilings`).
 */
export interface Scenario {
  /** Used by `--only` and as the key in the results file. */
  name: string;
  title: string;
  /** Heading its figures are printed under, e.g. `Ceilings`, `Ingest`; scenarios may share one. */
  section: string;
  /** Run once, after the repeated runs (the memory soak), instead of in every run. */
  once?: boolean;
  /** Rough wall time for one run with these options, to print an estimate up front. */
  estimateSeconds: (options: BenchOptions) => number;
  run: (context: ScenarioContext) => Promise<ScenarioOutcome>;
}
