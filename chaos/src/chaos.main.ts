// `make chaos`: the fault suite. Starts its own Postgres, Redis and the three services, runs rounds
// of faults under load, checks the invariants after each, prints the table; exit 1 on any failure.
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import postgres from 'postgres';
import { createDeliveryQueue } from '@triggers/delivery-queue';
import { findWorkspaceRoot } from '@triggers/local-services';
import { processorConfig } from '@triggers/processor/config';
import { createRunFolder } from './cluster/run-folder.js';
import { startCluster, type Cluster } from './cluster/cluster.js';
import { createTenant } from './cluster/tenant.js';
import { roundsFor } from './faults/rounds.js';
import { LoadGenerator } from './load/load-generator.js';
import { parseOptions } from './options.js';
import { createRandom } from './random.js';
import { problemsOf, type RoundResult } from './report/round-result.js';
import { formatDuration, formatTable } from './report/table.js';
import { checkWholeRun, runRound, type RunContext } from './round-runner.js';
import { startSinkProcess, type Sink } from './sink/sink-process.js';
import { sleep } from './sleep.js';

/** What the issue asks of a full run. */
const FULL_RUN_MIN_EVENTS = 50_000;

async function main(): Promise<number> {
  const startedAt = Date.now();
  const options = parseOptions(process.argv.slice(2), process.env);
  const random = createRandom(options.seed);
  const say = (line: string) =>
    console.log(`[${((Date.now() - startedAt) / 1000).toFixed(1).padStart(6)} s] ${line}`);
  const folder = createRunFolder();
  const faults = roundsFor(options.mode);
  say(
    `chaos suite, ${options.mode} run: ${faults.length} rounds, ${options.rate} events/s, seed ${options.seed}` +
      `\n  logs and data: ${folder.root}`,
  );

  let sink: Sink | undefined;
  let cluster: Cluster | undefined;
  let ctx: RunContext | undefined;
  // Our own clients first (a BullMQ queue whose Redis is gone never finishes closing), then the
  // system under test, services before servers.
  const cleanUp = async () => {
    await ctx?.load.close().catch(() => undefined);
    await Promise.race([ctx?.queue.close(), sleep(5000)]).catch(() => undefined);
    await ctx?.sql.end({ timeout: 2 }).catch(() => undefined);
    await cluster?.stop().catch(() => undefined);
    await sink?.close().catch(() => undefined);
    await Promise.all(faults.map((fault) => fault.close?.().catch(() => undefined)));
  };
  const interrupted = (signal: NodeJS.Signals) => {
    say(`${signal}: stopping everything this run started`);
    void cleanUp().finally(() => process.exit(130));
  };
  process.once('SIGINT', interrupted).once('SIGTERM', interrupted);

  try {
    sink = await startSinkProcess(
      join(findWorkspaceRoot() ?? process.cwd(), 'chaos'),
      join(folder.logs, 'sink.ndjson'),
    );
    cluster = await startCluster(folder);
    say(
      `cluster ready: Postgres :${cluster.postgres.port}, Redis :${cluster.redis.port}, API ${cluster.apiUrl}`,
    );
    const tenant = await createTenant(cluster.apiUrl, cluster.adminToken, cluster.databaseUrl, sink.url);
    const queue = createDeliveryQueue(
      { url: cluster.redisUrl, enableOfflineQueue: false, maxRetriesPerRequest: 1 },
      processorConfig.setting('REDIS_KEY_PREFIX'),
    );
    queue.on('error', () => {}); // Redis is taken away on purpose; the state reads report it
    ctx = {
      cluster,
      sink,
      tenant,
      queue,
      sql: postgres(cluster.databaseUrl, { max: 4, onnotice: () => {}, connect_timeout: 5 }),
      load: new LoadGenerator({
        apiUrl: cluster.apiUrl,
        apiKey: tenant.apiKey,
        rate: options.rate,
        runId: `chaos-${options.seed}-${startedAt}`,
        random: createRandom(options.seed + 1),
        maxAttempts: 10,
        connections: 32,
      }),
      random,
      options,
      say,
    };

    const results: RoundResult[] = [];
    for (const [i, fault] of faults.entries()) {
      if (options.only && !options.only.includes(i + 1)) continue;
      const result = await runRound(ctx, i + 1, fault);
      results.push(result);
      const problems = problemsOf(result);
      say(
        `round ${i + 1} ${problems.length === 0 ? 'ok' : 'FAILED'}: ${result.requests.accepted} accepted, ` +
          `recovered in ${formatDuration(result.recoveryMs)}${problems.map((p) => `\n    ✗ ${p}`).join('')}`,
      );
    }
    const total = await checkWholeRun(ctx, results);
    const failed = [...results, total].filter((r) => problemsOf(r).length > 0);

    console.log(`\n${formatTable(results, total)}\n`);
    for (const r of failed) for (const p of problemsOf(r)) console.log(`✗ round ${r.round}: ${p}`);
    const runtime = formatDuration(Date.now() - startedAt);
    console.log(
      `${failed.length === 0 ? 'PASS' : 'FAIL'}: ${results.length} rounds, ${total.requests.accepted.toLocaleString('en-US')} events accepted, ` +
        `runtime ${runtime}, seed ${options.seed}`,
    );
    if (options.mode === 'full' && !options.only && total.requests.accepted < FULL_RUN_MIN_EVENTS) {
      console.log(
        `note: fewer than ${FULL_RUN_MIN_EVENTS.toLocaleString('en-US')} events accepted (raise --rate)`,
      );
    }
    writeFileSync(
      join(folder.root, 'results.json'),
      `${JSON.stringify({ options, results, total }, null, 2)}\n`,
    );
    console.log(`logs, sink log and results.json: ${folder.root}`);
    await cleanUp();
    // The logs stay; the servers' data (hundreds of MB of WAL) only when asked or when something failed.
    if (failed.length === 0 && !options.keep) {
      rmSync(folder.postgres, { recursive: true, force: true });
      rmSync(folder.redis, { recursive: true, force: true });
    }
    return failed.length === 0 ? 0 : 1;
  } catch (err) {
    console.error(`chaos suite aborted: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    console.error(`logs: ${folder.logs}`);
    await cleanUp();
    return 2;
  }
}

// Exit at once: a client library still retrying a server this run stopped must not hold it open.
process.exit(
  await main().catch((err: unknown) => {
    console.error(`chaos suite: ${err instanceof Error ? err.message : String(err)}`);
    return 2;
  }),
);
