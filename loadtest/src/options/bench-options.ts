import { parseArgs } from 'node:util';

/** Everything a benchmark run can be told; read once from the command line and the environment. */
export interface BenchOptions {
  /** How many times the whole measurement is repeated; the report shows the median and min–max. */
  runs: number;
  /** Seconds of each closed-loop maximum-rate measurement. */
  durationSeconds: number;
  /** Seconds of each fixed-arrival-rate latency measurement. */
  latencyDurationSeconds: number;
  /** Seconds of load sent to each freshly started server before measuring (JIT, pools, caches). */
  warmupSeconds: number;
  /** Concurrent connections of the maximum-rate measurements. */
  connections: number;
  /** Arrival rate (requests per second) of the latency measurements. */
  latencyRate: number;
  /** Connections the latency load may use; enough that it never waits for a free one. */
  latencyConnections: number;
  /** Scenario names to run (all when empty). */
  only: string[];
  /** Keep the bench databases instead of dropping them (to inspect rows afterwards). */
  keepDatabase: boolean;
  /** Server on which a fresh `bench_<random>` database is created; its own database is untouched. */
  databaseUrl: string;
  redisUrl: string;
  /** Folder for `<timestamp>.json`; relative paths are resolved from the loadtest package. */
  resultsDir: string;
}

export const DEFAULT_OPTIONS: BenchOptions = {
  runs: 3,
  durationSeconds: 10,
  latencyDurationSeconds: 10,
  warmupSeconds: 2,
  connections: 50,
  latencyRate: 500,
  latencyConnections: 50,
  only: [],
  keepDatabase: false,
  databaseUrl: 'postgres://postgres@127.0.0.1:5432/postgres',
  redisUrl: 'redis://127.0.0.1:6379',
  resultsDir: 'results',
};

/** `--quick`: a smoke run that checks that everything works, in about a minute. */
const QUICK: Partial<BenchOptions> = {
  runs: 1,
  durationSeconds: 3,
  latencyDurationSeconds: 3,
  warmupSeconds: 1,
};

export const USAGE = `Usage: pnpm bench [options]   (each option also reads from the variable in brackets)
  --runs N                 repeat the whole measurement N times (BENCH_RUNS, default 3)
  --duration S             seconds per max-rate measurement (BENCH_DURATION, default 10)
  --latency-duration S     seconds per fixed-rate latency measurement (BENCH_LATENCY_DURATION, default 10)
  --warmup S               seconds of warm-up per started server (BENCH_WARMUP, default 2)
  --connections N          connections for max-rate measurements (BENCH_CONNECTIONS, default 50)
  --rate N                 arrival rate of the latency measurements, req/s (BENCH_RATE, default 500)
  --latency-connections N  connections available to the latency load (BENCH_LATENCY_CONNECTIONS, default 50)
  --only a,b               scenarios to run: bare-http, bare-express, ingest (BENCH_ONLY, default all)
  --quick                  1 run of 3 s phases with 1 s warm-up (BENCH_QUICK=1)
  --keep-database          keep the bench_* databases (BENCH_KEEP_DATABASE=1)
  --results-dir DIR        where <timestamp>.json goes (BENCH_RESULTS_DIR, default loadtest/results)
  DATABASE_URL             server for the fresh bench database (default ${DEFAULT_OPTIONS.databaseUrl})
  REDIS_URL                Redis for the ingest API (default ${DEFAULT_OPTIONS.redisUrl})`;

export class OptionsError extends Error {}

type Env = Record<string, string | undefined>;

/**
 * Reads options from argv (without node and script) and env; flags win over variables.
 * Throws an OptionsError listing every problem at once, or `help` when asked for usage.
 */
export function parseBenchOptions(argv: string[], env: Env): BenchOptions | 'help' {
  // pnpm forwards a literal `--` when called as `pnpm bench -- --runs 1`.
  const args = argv.filter((arg) => arg !== '--');
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args,
      strict: true,
      options: {
        runs: { type: 'string' },
        duration: { type: 'string' },
        'latency-duration': { type: 'string' },
        warmup: { type: 'string' },
        connections: { type: 'string' },
        rate: { type: 'string' },
        'latency-connections': { type: 'string' },
        only: { type: 'string' },
        quick: { type: 'boolean' },
        'keep-database': { type: 'boolean' },
        'results-dir': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    throw new OptionsError(`${(error as Error).message}\n${USAGE}`);
  }
  if (values.help) return 'help';

  const problems: string[] = [];
  const quick = values.quick === true || isTrue(env.BENCH_QUICK);
  const base: BenchOptions = { ...DEFAULT_OPTIONS, ...(quick ? QUICK : {}) };
  const text = (flag: string, variable: string): string | undefined => {
    const fromFlag = values[flag];
    return typeof fromFlag === 'string' ? fromFlag : env[variable];
  };
  const number = (
    flag: string,
    variable: string,
    fallback: number,
    min: number,
    integer: boolean,
  ): number => {
    const raw = text(flag, variable);
    if (raw === undefined || raw === '') return fallback;
    const value = Number(raw);
    if (!Number.isFinite(value) || value < min || (integer && !Number.isInteger(value))) {
      problems.push(
        `--${flag} (${variable}) must be ${integer ? 'an integer' : 'a number'} >= ${min}, got "${raw}"`,
      );
      return fallback;
    }
    return value;
  };

  const options: BenchOptions = {
    runs: number('runs', 'BENCH_RUNS', base.runs, 1, true),
    durationSeconds: number('duration', 'BENCH_DURATION', base.durationSeconds, 1, false),
    latencyDurationSeconds: number(
      'latency-duration',
      'BENCH_LATENCY_DURATION',
      base.latencyDurationSeconds,
      1,
      false,
    ),
    warmupSeconds: number('warmup', 'BENCH_WARMUP', base.warmupSeconds, 0, false),
    connections: number('connections', 'BENCH_CONNECTIONS', base.connections, 1, true),
    latencyRate: number('rate', 'BENCH_RATE', base.latencyRate, 1, true),
    latencyConnections: number(
      'latency-connections',
      'BENCH_LATENCY_CONNECTIONS',
      base.latencyConnections,
      1,
      true,
    ),
    only: (text('only', 'BENCH_ONLY') ?? '')
      .split(',')
      .map((name) => name.trim())
      .filter((name) => name !== ''),
    keepDatabase: values['keep-database'] === true || isTrue(env.BENCH_KEEP_DATABASE),
    databaseUrl: nonEmpty(env.DATABASE_URL) ?? base.databaseUrl,
    redisUrl: nonEmpty(env.REDIS_URL) ?? base.redisUrl,
    resultsDir: text('results-dir', 'BENCH_RESULTS_DIR') ?? base.resultsDir,
  };
  for (const [name, url] of [
    ['DATABASE_URL', options.databaseUrl],
    ['REDIS_URL', options.redisUrl],
  ] as const) {
    if (!URL.canParse(url)) problems.push(`${name} is not a URL: "${url}"`);
  }
  if (problems.length > 0) throw new OptionsError(`${problems.join('\n')}\n${USAGE}`);
  return options;
}

function isTrue(value: string | undefined): boolean {
  return value === '1' || value === 'true';
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}
