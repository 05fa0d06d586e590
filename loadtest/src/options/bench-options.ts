import { parseArgs } from 'node:util';

/** Everything a benchmark run can be told; read once from the command line and the environment. */
export interface BenchOptions {
  /** How many times the whole measurement is repeated; the report shows the median and min–max. */
  runs: number;
  /** Seconds of each closed-loop maximum-rate measurement (single events and batches). */
  durationSeconds: number;
  /** Seconds of each fixed-arrival-rate latency measurement. */
  latencyDurationSeconds: number;
  /** Seconds of load sent to each freshly started server before measuring (JIT, pools, caches). */
  warmupSeconds: number;
  /** Concurrent connections of the maximum-rate measurements. */
  connections: number;
  /** Arrival rates (requests per second) of the latency measurements, each its own phase. */
  latencyRates: number[];
  /** Connections the latency load may use; enough that it never waits for a free one. */
  latencyConnections: number;
  /** Events per `POST /api/events/batch` request. */
  batchSize: number;
  /** Concurrent connections sending batches. */
  batchConnections: number;
  /** Events prefilled into event_queue for the processing rate. */
  processingEvents: number;
  /** Deliveries prefilled (with their jobs) for the delivery rate. */
  deliveryJobs: number;
  /** Endpoints the deliveries are spread over; 0: enough for the per-endpoint cap not to bind. */
  deliveryEndpoints: number;
  /** Events per second of the end-to-end latency measurement. */
  e2eRate: number;
  /** Seconds of the end-to-end latency measurement. */
  e2eDurationSeconds: number;
  /** Instances of each service for the scale-out scenarios; 1 runs none of them. */
  scale: number;
  /** Seconds of the memory soak (sustained load on every service, RSS tracked); 0 skips it. */
  soakSeconds: number;
  /** Events per second of the soak. */
  soakRate: number;
  /** Arrival rates the capacity search steps through, as fractions of bare express's max rate (0.1 always among them). */
  capacitySteps: number[];
  /** Seconds each capacity step is held. */
  capacityStepSeconds: number;
  /** Seconds of the bare express max-rate run the capacity steps are fractions of. */
  capacityBareSeconds: number;
  /** Consecutive steps not held after which the capacity search stops. */
  capacityMisses: number;
  /** Events per second the overload scenario takes as capacity; 0: found by the capacity steps first. */
  capacityRate: number;
  /** Seconds of the overload scenario's phase at twice the capacity. */
  overloadSeconds: number;
  /** A previous results file to compare this run with; regressions are flagged. */
  compare: string | null;
  /** Relative change, in the worse direction, that counts as a regression. */
  regressionThreshold: number;
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
  durationSeconds: 4,
  latencyDurationSeconds: 4,
  warmupSeconds: 2,
  connections: 50,
  latencyRates: [500, 2000],
  latencyConnections: 50,
  batchSize: 100,
  batchConnections: 8,
  processingEvents: 100_000,
  deliveryJobs: 20_000,
  deliveryEndpoints: 0,
  e2eRate: 500,
  e2eDurationSeconds: 10,
  scale: 1,
  // Memory is one of the targets: every full run checks it, at the rate the whole pipeline sustains
  // on 2 shared cores (at 1,000/s Postgres saturates them and memory would track a growing backlog).
  soakSeconds: 60,
  soakRate: 500,
  // Fine steps at the low end: on 2 shared cores the pipeline holds a few percent of bare express.
  capacitySteps: [0.025, 0.05, 0.075, 0.1, 0.125, 0.15, 0.2, 0.25, 0.3, 0.4, 0.5, 0.6, 0.8, 1],
  capacityStepSeconds: 20,
  capacityBareSeconds: 5,
  capacityMisses: 2,
  capacityRate: 0,
  overloadSeconds: 30,
  compare: null,
  regressionThreshold: 0.2,
  only: [],
  keepDatabase: false,
  databaseUrl: 'postgres://postgres@127.0.0.1:5432/postgres',
  redisUrl: 'redis://127.0.0.1:6379',
  resultsDir: 'results',
};

/** `--quick`: a smoke run that checks that everything works, in a couple of minutes. */
const QUICK: Partial<BenchOptions> = {
  runs: 1,
  durationSeconds: 3,
  latencyDurationSeconds: 3,
  warmupSeconds: 1,
  processingEvents: 20_000,
  deliveryJobs: 5_000,
  e2eDurationSeconds: 4,
  soakSeconds: 10,
  capacityStepSeconds: 5,
  capacityBareSeconds: 3,
  capacityMisses: 1,
  overloadSeconds: 10,
};

type NumericKey = {
  [K in keyof BenchOptions]: BenchOptions[K] extends number ? K : never;
}[keyof BenchOptions];

interface NumericSpec {
  key: NumericKey;
  flag: string;
  variable: string;
  min: number;
  integer: boolean;
  help: string;
}

const NUMERIC: NumericSpec[] = [
  {
    key: 'runs',
    flag: 'runs',
    variable: 'BENCH_RUNS',
    min: 1,
    integer: true,
    help: 'repeat the whole measurement N times',
  },
  {
    key: 'durationSeconds',
    flag: 'duration',
    variable: 'BENCH_DURATION',
    min: 1,
    integer: false,
    help: 'seconds per max-rate measurement (single and batch)',
  },
  {
    key: 'latencyDurationSeconds',
    flag: 'latency-duration',
    variable: 'BENCH_LATENCY_DURATION',
    min: 1,
    integer: false,
    help: 'seconds per fixed-rate latency measurement',
  },
  {
    key: 'warmupSeconds',
    flag: 'warmup',
    variable: 'BENCH_WARMUP',
    min: 0,
    integer: false,
    help: 'seconds of warm-up per started server',
  },
  {
    key: 'connections',
    flag: 'connections',
    variable: 'BENCH_CONNECTIONS',
    min: 1,
    integer: true,
    help: 'connections for max-rate measurements',
  },
  {
    key: 'latencyConnections',
    flag: 'latency-connections',
    variable: 'BENCH_LATENCY_CONNECTIONS',
    min: 1,
    integer: true,
    help: 'connections available to the latency load',
  },
  {
    key: 'batchSize',
    flag: 'batch-size',
    variable: 'BENCH_BATCH_SIZE',
    min: 1,
    integer: true,
    help: 'events per batch request',
  },
  {
    key: 'batchConnections',
    flag: 'batch-connections',
    variable: 'BENCH_BATCH_CONNECTIONS',
    min: 1,
    integer: true,
    help: 'connections sending batches',
  },
  {
    key: 'processingEvents',
    flag: 'processing-events',
    variable: 'BENCH_PROCESSING_EVENTS',
    min: 1000,
    integer: true,
    help: 'events prefilled for the processing rate',
  },
  {
    key: 'deliveryJobs',
    flag: 'delivery-jobs',
    variable: 'BENCH_DELIVERY_JOBS',
    min: 100,
    integer: true,
    help: 'deliveries prefilled for the delivery rate',
  },
  {
    key: 'deliveryEndpoints',
    flag: 'delivery-endpoints',
    variable: 'BENCH_DELIVERY_ENDPOINTS',
    min: 0,
    integer: true,
    help: 'endpoints the deliveries go to (0: concurrency / per-endpoint cap)',
  },
  {
    key: 'e2eRate',
    flag: 'e2e-rate',
    variable: 'BENCH_E2E_RATE',
    min: 1,
    integer: true,
    help: 'events/s of the end-to-end latency measurement',
  },
  {
    key: 'e2eDurationSeconds',
    flag: 'e2e-duration',
    variable: 'BENCH_E2E_DURATION',
    min: 1,
    integer: false,
    help: 'seconds of the end-to-end latency measurement',
  },
  {
    key: 'scale',
    flag: 'scale',
    variable: 'BENCH_SCALE',
    min: 1,
    integer: true,
    help: 'also run N of each service (scale-out scenarios)',
  },
  {
    key: 'soakSeconds',
    flag: 'soak',
    variable: 'BENCH_SOAK',
    min: 0,
    integer: false,
    help: 'memory soak of S seconds at --soak-rate, once (0: none)',
  },
  {
    key: 'soakRate',
    flag: 'soak-rate',
    variable: 'BENCH_SOAK_RATE',
    min: 1,
    integer: true,
    help: 'events/s of the soak',
  },
  {
    key: 'capacityStepSeconds',
    flag: 'capacity-step',
    variable: 'BENCH_CAPACITY_STEP',
    min: 1,
    integer: false,
    help: 'seconds each capacity step is held',
  },
  {
    key: 'capacityBareSeconds',
    flag: 'capacity-bare',
    variable: 'BENCH_CAPACITY_BARE',
    min: 1,
    integer: false,
    help: 'seconds of the bare express run capacity steps scale to',
  },
  {
    key: 'capacityMisses',
    flag: 'capacity-misses',
    variable: 'BENCH_CAPACITY_MISSES',
    min: 1,
    integer: true,
    help: 'stop the capacity steps after N missed in a row',
  },
  {
    key: 'capacityRate',
    flag: 'capacity-rate',
    variable: 'BENCH_CAPACITY_RATE',
    min: 0,
    integer: true,
    help: 'overload: take N events/s as capacity (0: find it)',
  },
  {
    key: 'overloadSeconds',
    flag: 'overload-duration',
    variable: 'BENCH_OVERLOAD_DURATION',
    min: 1,
    integer: false,
    help: 'seconds of the overload at 2x capacity',
  },
  {
    key: 'regressionThreshold',
    flag: 'regression-threshold',
    variable: 'BENCH_REGRESSION_THRESHOLD',
    min: 0,
    integer: false,
    help: 'worse by more than this fraction = regression',
  },
];

export const USAGE = [
  'Usage: pnpm bench [options]   (each option also reads from the variable in brackets)',
  ...NUMERIC.map(
    (spec) =>
      `  ${`--${spec.flag} ${spec.integer ? 'N' : 'S'}`.padEnd(27)}${spec.help} (${spec.variable}, default ${DEFAULT_OPTIONS[spec.key]})`,
  ),
  `  ${'--rate A,B'.padEnd(27)}arrival rates of the latency measurements, req/s (BENCH_RATE, default ${DEFAULT_OPTIONS.latencyRates.join(',')})`,
  `  ${'--capacity-steps F,G'.padEnd(27)}capacity steps as fractions of bare express (BENCH_CAPACITY_STEPS, default ${DEFAULT_OPTIONS.capacitySteps.join(',')}; 0.1 always added)`,
  `  ${'--only a,b'.padEnd(27)}scenarios to run (BENCH_ONLY, default all; names in the README)`,
  `  ${'--compare FILE'.padEnd(27)}compare with a previous results file and flag regressions (BENCH_COMPARE)`,
  `  ${'--quick'.padEnd(27)}1 run of 3 s phases, 20k events, 5k deliveries (BENCH_QUICK=1)`,
  `  ${'--keep-database'.padEnd(27)}keep the bench_* databases (BENCH_KEEP_DATABASE=1)`,
  `  ${'--results-dir DIR'.padEnd(27)}where <timestamp>.json goes (BENCH_RESULTS_DIR, default loadtest/results)`,
  `  ${'DATABASE_URL'.padEnd(27)}server for the fresh bench databases (default ${DEFAULT_OPTIONS.databaseUrl})`,
  `  ${'REDIS_URL'.padEnd(27)}Redis for the services (default ${DEFAULT_OPTIONS.redisUrl})`,
].join('\n');

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
        ...Object.fromEntries(NUMERIC.map((spec) => [spec.flag, { type: 'string' as const }])),
        rate: { type: 'string' },
        'capacity-steps': { type: 'string' },
        only: { type: 'string' },
        compare: { type: 'string' },
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
  const numberFrom = (raw: string, name: string, min: number, integer: boolean): number | undefined => {
    const value = Number(raw);
    if (
      raw.trim() === '' ||
      !Number.isFinite(value) ||
      value < min ||
      (integer && !Number.isInteger(value))
    ) {
      problems.push(`${name} must be ${integer ? 'an integer' : 'a number'} >= ${min}, got "${raw}"`);
      return undefined;
    }
    return value;
  };

  const options: BenchOptions = { ...base };
  for (const spec of NUMERIC) {
    const raw = text(spec.flag, spec.variable);
    if (raw === undefined || raw === '') continue;
    const value = numberFrom(raw, `--${spec.flag} (${spec.variable})`, spec.min, spec.integer);
    if (value !== undefined) options[spec.key] = value;
  }
  const rates = text('rate', 'BENCH_RATE');
  if (rates !== undefined && rates !== '') {
    const parsed = rates.split(',').map((rate) => numberFrom(rate.trim(), '--rate (BENCH_RATE)', 1, true));
    if (parsed.every((rate) => rate !== undefined)) options.latencyRates = parsed as number[];
  }
  const steps = text('capacity-steps', 'BENCH_CAPACITY_STEPS');
  if (steps !== undefined && steps !== '') {
    const parsed = steps
      .split(',')
      .map((step) => numberFrom(step.trim(), '--capacity-steps (BENCH_CAPACITY_STEPS)', 0.001, false));
    if (parsed.every((step) => step !== undefined)) options.capacitySteps = parsed as number[];
  }
  options.only = (text('only', 'BENCH_ONLY') ?? '')
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name !== '');
  options.compare = nonEmpty(text('compare', 'BENCH_COMPARE')) ?? null;
  options.keepDatabase = values['keep-database'] === true || isTrue(env.BENCH_KEEP_DATABASE);
  options.databaseUrl = nonEmpty(env.DATABASE_URL) ?? base.databaseUrl;
  options.redisUrl = nonEmpty(env.REDIS_URL) ?? base.redisUrl;
  options.resultsDir = text('results-dir', 'BENCH_RESULTS_DIR') ?? base.resultsDir;
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
