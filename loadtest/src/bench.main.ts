// `pnpm bench`: measures the machine's ceilings and the real services in one run, prints the
// figures as ratios to those ceilings, and writes them to results/<timestamp>.json.
import { cpus, totalmem } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { runPendingCleanups } from './harness/cleanup.js';
import { sampleMachineLoad } from './harness/machine-load.js';
import { LOADTEST_DIR } from './harness/paths.js';
import { parseBenchOptions, USAGE, type BenchOptions } from './options/bench-options.js';
import { collectChecks, summarize, type ScenarioRun } from './report/aggregate.js';
import { writeResults } from './report/results-file.js';
import { renderReport } from './report/table.js';
import { selectScenarios } from './scenarios/registry.js';
import type { Scenario } from './scenarios/scenario.js';

const log = (message: string): void => {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
};

async function main(): Promise<number> {
  let options: BenchOptions | 'help';
  let scenarios: Scenario[];
  try {
    options = parseBenchOptions(process.argv.slice(2), process.env);
    if (options === 'help') {
      process.stdout.write(`${USAGE}\n`);
      return 0;
    }
    scenarios = selectScenarios(options.only);
  } catch (error) {
    if (!(error instanceof Error)) throw error;
    process.stderr.write(`${error.message}\n`);
    return 2;
  }

  const startedAt = new Date();
  const idle = await sampleMachineLoad();
  const busyText =
    idle.busy === null
      ? `load average ${idle.loadAverage1m.toFixed(1)}`
      : `${Math.round(idle.busy * 100)}% of ${idle.cores} cores busy before start`;
  // Above this, other work takes cores from the servers and the load generator alike.
  const busyWarning = idle.busy !== null && idle.busy > 0.15;
  if (busyWarning) log(`warning: machine already busy (${busyText}); figures will be low and noisy`);
  const estimate =
    options.runs * scenarios.reduce((sum, scenario) => sum + scenario.estimateSeconds(options), 0);
  log(
    `${options.runs} run(s) of ${scenarios.map((scenario) => scenario.name).join(', ')}; about ${Math.ceil(estimate / 60)} min`,
  );

  const runs: ScenarioRun[] = [];
  // Runs interleave the scenarios (ceilings, service, ceilings, service…) so that drift in the
  // machine's speed during the benchmark touches ceilings and services alike.
  for (let run = 1; run <= options.runs; run += 1) {
    for (const scenario of scenarios) {
      log(`run ${run}/${options.runs} · ${scenario.title}`);
      const began = performance.now();
      const record: ScenarioRun = { scenario: scenario.name, run, seconds: 0 };
      try {
        record.outcome = await scenario.run({
          options,
          run,
          log: (message) => log(`  ${scenario.name}: ${message}`),
        });
      } catch (error) {
        record.error = error instanceof Error ? (error.stack ?? error.message) : String(error);
        log(`  ${scenario.name} failed: ${record.error}`);
      }
      record.seconds = (performance.now() - began) / 1000;
      runs.push(record);
    }
  }

  const summary = summarize(runs);
  const checks = collectChecks(runs);
  const machine = `${cpus().length} × ${cpus()[0]?.model.trim() ?? 'unknown CPU'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
  const report = renderReport(
    {
      runs: options.runs,
      machine,
      load: [
        `max rate: autocannon, ${options.connections} connections, ${options.durationSeconds} s, unique ~300 B JSON bodies, 202s per second`,
        `latency: ${options.latencyRate} req/s evenly spaced (open loop, ≤ ${options.latencyConnections} connections), ${options.latencyDurationSeconds} s, send to last byte of each 202`,
        `each server in its own process, warmed up ${options.warmupSeconds} s; the load generator shares the machine's cores`,
        `machine: ${busyText}${busyWarning ? ' — OTHER WORK WAS RUNNING, figures are low and noisy' : ''}`,
      ],
    },
    summary,
    checks,
  );
  process.stdout.write(`\n${report}\n`);

  const failed = checks.some((check) => !check.ok && check.severity === 'error');
  const resultsDir = isAbsolute(options.resultsDir)
    ? options.resultsDir
    : join(LOADTEST_DIR, options.resultsDir);
  const path = await writeResults(resultsDir, startedAt, {
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    ok: !failed,
    machine: {
      description: machine,
      cpus: cpus().length,
      totalMemoryBytes: totalmem(),
      node: process.version,
      busyBeforeStart: idle.busy,
      loadAverage1mBeforeStart: idle.loadAverage1m,
    },
    options: {
      ...options,
      databaseUrl: redactPassword(options.databaseUrl),
      redisUrl: redactPassword(options.redisUrl),
    },
    summary,
    checks,
    runs,
  });
  process.stdout.write(`\nresults: ${path}\n`);
  return failed ? 1 : 0;
}

function redactPassword(url: string): string {
  const parsed = new URL(url);
  if (parsed.password !== '') parsed.password = '***';
  return parsed.toString();
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    log(`${signal}: stopping servers and dropping bench databases`);
    void runPendingCleanups(log).finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
  });
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  async (error: unknown) => {
    log(`benchmark failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    await runPendingCleanups(log);
    process.exitCode = 1;
  },
);
