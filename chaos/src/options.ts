export type ChaosMode = 'full' | 'short';

export interface ChaosOptions {
  mode: ChaosMode;
  /** Seeds fault moments and event types; printed, so a run can be repeated. */
  seed: number;
  /** New events per second while a round's load runs. */
  rate: number;
  /** Load before the fault starts: a random moment in this range. */
  leadMs: [number, number];
  /** Load after the fault's cause is removed. */
  tailMs: number;
  /** How long a round may take to become quiescent before it fails. */
  quiescenceTimeoutMs: number;
  /** Keep the Postgres and Redis data folders after a successful run (logs are always kept). */
  keep: boolean;
  /** Only these rounds (1-based), for working on one fault; default all. */
  only: number[] | undefined;
}

/**
 * Options from the command line (`--short`, `--seed=N`, `--rate=N`, `--keep`, `--only=3,5`) and the
 * environment (CHAOS_SHORT=1, CHAOS_SEED, CHAOS_RATE), the command line winning.
 */
export function parseOptions(argv: readonly string[], env: NodeJS.ProcessEnv): ChaosOptions {
  const flags = new Map<string, string>();
  for (const arg of argv) {
    if (arg === '--') continue;
    const match = /^--([a-z-]+)(?:=(.*))?$/.exec(arg);
    if (!match) throw new Error(`unknown argument: ${arg}`);
    flags.set(match[1]!, match[2] ?? 'true');
  }
  for (const name of flags.keys()) {
    if (!['short', 'seed', 'rate', 'keep', 'only'].includes(name))
      throw new Error(`unknown option: --${name}`);
  }
  const short = flags.has('short') || env.CHAOS_SHORT === '1' || env.CHAOS_SHORT === 'true';
  const number = (value: string | undefined, fallback: number, name: string) => {
    if (value === undefined || value === '') return fallback;
    const n = Number(value);
    if (!Number.isFinite(n) || n <= 0) throw new Error(`${name} must be a positive number, not ${value}`);
    return n;
  };
  const only = flags.get('only');
  return {
    mode: short ? 'short' : 'full',
    seed: Math.floor(number(flags.get('seed') ?? env.CHAOS_SEED, Date.now() % 1_000_000, 'seed')),
    rate: number(flags.get('rate') ?? env.CHAOS_RATE, short ? 150 : 300, 'rate'),
    leadMs: short ? [1000, 2000] : [3000, 6000],
    tailMs: short ? 1000 : 3000,
    quiescenceTimeoutMs: 120_000,
    keep: flags.has('keep'),
    only: only === undefined ? undefined : only.split(',').map((n) => number(n, 0, 'only')),
  };
}
