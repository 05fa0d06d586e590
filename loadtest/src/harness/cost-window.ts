import { Redis } from 'ioredis';
import postgres from 'postgres';
import { sleep } from './child-process.js';
import { startCpuWindow, type CpuReport } from './machine-load.js';
import { readProcessSample } from './process-stats.js';
import { wallClock } from './wall-clock.js';
import { fitRatePerSecond, type CounterSample } from './rate-fit.js';
import { parseRedisWork, redisWorkBetween, type RedisWork } from './redis-info.js';

interface NamedProcess {
  name: string;
  pid: number;
}

export interface CostSettings {
  /** Any database URL of the server the bench database lives on (the bench's `databaseUrl`). */
  serverUrl: string;
  /** The bench database whose commits are counted. */
  database: string;
  /** The Redis the services use; the bench is taken to run alone on it. */
  redisUrl: string;
  /** The pipeline's own processes: the services. */
  services: readonly NamedProcess[];
  /** Processes of the bench that are not the pipeline (the sink); the bench process itself is known. */
  others: readonly NamedProcess[];
  /** Deliveries received so far (the sink's request count). */
  deliveries: () => Promise<number>;
}

/** CPU the pipeline used over a window, in CPU seconds. */
export interface PipelineCpu {
  /** Services + Postgres + Redis, on the `basis` below. */
  seconds: number;
  /**
   * `processes`: the services', Postgres's and Redis's own counters, so that other work on a
   * shared machine is left out; `machine`: the whole machine minus the bench and the sink, when
   * Postgres is on another host and its processes cannot be read.
   */
  basis: 'processes' | 'machine';
  services: number;
  /** Backends of the bench database and the server's background writers; null when not local. */
  postgres: number | null;
  redis: number;
  /** The whole machine minus the bench process and the sink, for comparison (other work included). */
  machineBased: number;
  report: CpuReport;
}

/** What the pipeline spent over a window, before dividing by events. */
export interface CostTotals {
  /** Wall clock (ms) of the window's start and end, to count the events sent within it. */
  from: number;
  to: number;
  seconds: number;
  deliveries: number;
  /** Fitted through readings every COMMIT_SAMPLE_MS (see SETTLE_MS). */
  pgCommits: number;
  /** The plain difference of the first and last reading, for comparison. */
  pgCommitsTwoReadings: number;
  redisCommands: number;
  redisByCommand: Record<string, number>;
  cpu: PipelineCpu;
}

/** Cost per event, the figures that travel between machines better than rates do. */
export interface CostPerEvent {
  events: number;
  deliveries: number;
  pgCommitsPerEvent: number;
  redisCommandsPerDelivery: number;
  cpuMsPerEvent: number;
}

/**
 * Postgres's counters lag behind: a backend publishes its transaction counts at most once a second
 * (PG15, PGSTAT_MIN_INTERVAL; its read-only transactions only with its next write), and
 * pg_stat_force_next_flush() flushes only the calling backend's. So the window starts this long
 * after its load began, when every backend publishes at the load's pace, and the commits are the
 * rate fitted through readings every COMMIT_SAMPLE_MS (fitRatePerSecond) times the window's length,
 * not the difference of two readings that each fell at a random point of a backend's second.
 */
export const SETTLE_MS = 1200;
const COMMIT_SAMPLE_MS = 100;

/**
 * Runs `phase` (a steady load) and measures what the pipeline spent from SETTLE_MS after its start
 * until it resolved: commits in the bench database, Redis commands, CPU of the services, Postgres
 * and Redis. The bench reads through connections of its own that are left out: Postgres is read
 * from the server's maintenance database (so those commits count elsewhere) and the bench sends no
 * query to the bench database during a phase; its one INFO between the readings is subtracted.
 */
export async function measureCost<T>(
  settings: CostSettings,
  phase: () => Promise<T>,
): Promise<{ value: T; totals: CostTotals }> {
  // Two connections: the commit sampler's and the readings'.
  const sql = postgres(settings.serverUrl, { max: 2, onnotice: () => {}, connect_timeout: 5 });
  const redis = new Redis(settings.redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    // Connected before the first reading, so that a connection's own commands (the ready check's
    // INFO, AUTH) fall before it.
    await Promise.all([redis.connect(), sql`SELECT 1`]);
    const local = isLocalHost(settings.serverUrl);
    const running = phase();
    // A phase that fails rejects below; this only keeps it from being reported as unhandled first.
    running.catch(() => undefined);
    await Promise.race([sleep(SETTLE_MS), running]);
    const processes = [...settings.services, ...settings.others];
    const [before, cpu] = await Promise.all([
      readCounters(sql, redis, settings, local),
      startCpuWindow(processes),
    ]);
    const sampler = sampleCommits(sql, settings.database);
    const value = await running.finally(sampler.stop);
    const [after, report, commits] = await Promise.all([
      readCounters(sql, redis, settings, local),
      cpu.finish(),
      sampler.samples,
    ]);
    return { value, totals: totalsBetween(before, after, report, commits, settings) };
  } finally {
    redis.disconnect();
    await sql.end();
  }
}

interface Counters {
  at: number;
  deliveries: number;
  commits: number;
  redis: RedisWork;
  /** pid → CPU seconds of the Postgres processes that serve the bench database; null when not local. */
  postgres: Map<number, number> | null;
}

/** Reads the bench database's commit count every COMMIT_SAMPLE_MS until stopped. */
function sampleCommits(
  sql: postgres.Sql,
  database: string,
): { stop: () => void; samples: Promise<CounterSample[]> } {
  let stopped = false;
  const read = async (): Promise<CounterSample[]> => {
    const samples: CounterSample[] = [];
    try {
      while (!stopped) {
        samples.push({ at: wallClock(), value: await readCommits(sql, database) });
        await sleep(COMMIT_SAMPLE_MS);
      }
    } catch {
      // The readings around the window fail as well and say why; the fit uses what there is.
    }
    return samples;
  };
  return { stop: () => (stopped = true), samples: read() };
}

async function readCommits(sql: postgres.Sql, database: string): Promise<number> {
  const [row] = await sql<{ commits: number }[]>`
    SELECT xact_commit::float8 AS commits FROM pg_stat_database WHERE datname = ${database}`;
  return row?.commits ?? NaN;
}

async function readCounters(
  sql: postgres.Sql,
  redis: Redis,
  settings: CostSettings,
  local: boolean,
): Promise<Counters> {
  const [deliveries, commits, info, postgresCpu] = await Promise.all([
    settings.deliveries(),
    readCommits(sql, settings.database),
    redis.info('cpu', 'commandstats'),
    local ? readPostgresCpu(sql, settings.database) : null,
  ]);
  return {
    at: wallClock(),
    deliveries,
    commits,
    redis: parseRedisWork(info),
    postgres: postgresCpu,
  };
}

function totalsBetween(
  before: Counters,
  after: Counters,
  report: CpuReport,
  commits: readonly CounterSample[],
  settings: CostSettings,
): CostTotals {
  const seconds = (after.at - before.at) / 1000;
  const commitSamples = [
    { at: before.at, value: before.commits },
    ...commits,
    { at: after.at, value: after.commits },
  ];
  const cores = (names: readonly NamedProcess[]) =>
    names.reduce((sum, { name }) => sum + (report.processes[name] ?? NaN), 0);
  const services = cores(settings.services) * report.seconds;
  const others = cores(settings.others);
  const redisWork = redisWorkBetween(before.redis, after.redis);
  const postgresSeconds =
    before.postgres && after.postgres ? postgresCpuBetween(before.postgres, after.postgres) : null;
  const machineBased = (report.machine - report.bench - others) * report.seconds;
  const byProcesses = postgresSeconds === null ? NaN : services + postgresSeconds + redisWork.cpuSeconds;
  return {
    from: before.at,
    to: after.at,
    seconds,
    deliveries: after.deliveries - before.deliveries,
    pgCommits: fitRatePerSecond(commitSamples) * seconds,
    pgCommitsTwoReadings: after.commits - before.commits,
    // The first reading's INFO ran between the two.
    redisCommands: redisWork.commands - 1,
    redisByCommand: redisWork.byCommand,
    cpu: {
      seconds: Number.isFinite(byProcesses) ? byProcesses : machineBased,
      basis: Number.isFinite(byProcesses) ? 'processes' : 'machine',
      services,
      postgres: postgresSeconds,
      redis: redisWork.cpuSeconds,
      machineBased,
      report,
    },
  };
}

/**
 * CPU seconds of the backends connected to the bench database and of the server's background
 * writers (shared with other databases, and part of what a commit costs). A backend that exits
 * within the window loses its share; the services keep their pools open, so few do.
 */
async function readPostgresCpu(sql: postgres.Sql, database: string): Promise<Map<number, number>> {
  const rows = await sql<{ pid: number }[]>`
    SELECT pid FROM pg_stat_activity
    WHERE datname = ${database}
       OR (datname IS NULL AND backend_type IN ('checkpointer', 'walwriter', 'background writer'))`;
  const samples = await Promise.all(
    rows.map(async ({ pid }) => [pid, await readProcessSample(pid)] as const),
  );
  return new Map(samples.flatMap(([pid, sample]) => (sample ? [[pid, sample.cpuSeconds] as const] : [])));
}

/** A process first seen at the end started within the window: all its CPU time belongs to it. */
export function postgresCpuBetween(before: Map<number, number>, after: Map<number, number>): number {
  let seconds = 0;
  for (const [pid, cpu] of after) seconds += cpu - (before.get(pid) ?? 0);
  return seconds;
}

/** Whether the server's processes are on this machine (and so readable in /proc). */
export function isLocalHost(url: string): boolean {
  const host = new URL(url).hostname;
  return host === '127.0.0.1' || host === 'localhost' || host === '[::1]' || host === '';
}

/** The totals divided by the events sent within the window (and Redis by the deliveries made). */
export function costPerEvent(totals: CostTotals, events: number): CostPerEvent {
  const per = (value: number, count: number) => (count > 0 ? value / count : NaN);
  return {
    events,
    deliveries: totals.deliveries,
    pgCommitsPerEvent: per(totals.pgCommits, events),
    redisCommandsPerDelivery: per(totals.redisCommands, totals.deliveries),
    cpuMsPerEvent: per(totals.cpu.seconds * 1000, events),
  };
}
