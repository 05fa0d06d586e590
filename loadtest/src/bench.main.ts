// `pnpm bench`: measures the machine's ceilings and the real services in one run, prints the
// figures as ratios to those ceilings, and writes them to results/<timestamp>.json.
import { existsSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { runPendingCleanups } from './harness/cleanup.js';
import { sampleMachineLoad, type MachineLoad } from './harness/machine-load.js';
import { LOADTEST_DIR } from './harness/paths.js';
import { parseBenchOptions, USAGE, type BenchOptions } from './options/bench-options.js';
import { collectChecks, spreadOf, summarize, type ScenarioRun, type Spread } from './report/aggregate.js';
import { compareSummaries, renderComparison } from './report/compare.js';
import { readResults, writeResults, type ResultsFile } from './report/results-file.js';
import { renderReport } from './report/table.js';
import { evaluateTargets, renderTargets } from './report/targets.js';
import { HELD_ACCEPTED_SHARE, HELD_P95_MS, percent, STEP_GRACE_MS } from './scenarios/capacity-rules.js';
import { selectScenarios } from './scenarios/registry.js';
import type { Scenario } from './scenarios/scenario.js';

/** Share of the cores busy with other work above which figures are flagged as low and noisy. */
const BUSY_THRESHOLD = 0.15;

const log = (message: string): void => {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
};

async function main(): Promise<number> {
  let options: BenchOptions | 'help';
  let scenarios: Scenario[];
  let previous: { file: string; results: ResultsFile } | undefined;
  try {
    options = parseBenchOptions(process.argv.slice(2), process.env);
    if (options === 'help') {
      process.stdout.write(`${USAGE}\n`);
      return 0;
    }
    scenarios = selectScenarios(options);
    if (options.compare !== null) {
      const file = resolveInput(options.compare);
      previous = {
        file,
        results: await readResults(file).catch((error: Error) => {
          throw new Error(`--compare: cannot read ${file}: ${error.message}`);
        }),
      };
    }
  } catch (error) {
    if (!(error instanceof Error)) throw error;
    process.stderr.write(`${error.message}\n`);
    return 2;
  }

  const startedAt = new Date();
  const idle = await sampleMachineLoad();
  const busyText = describeLoad(idle);
  const busyWarning = idle.busy !== null && idle.busy > BUSY_THRESHOLD;
  if (busyWarning) log(`warning: machine already busy (${busyText}); figures will be low and noisy`);
  const repeated = scenarios.filter((scenario) => !scenario.once);
  const once = scenarios.filter((scenario) => scenario.once);
  const estimate =
    options.runs * repeated.reduce((sum, scenario) => sum + scenario.estimateSeconds(options), 0) +
    once.reduce((sum, scenario) => sum + scenario.estimateSeconds(options), 0);
  const plan = [
    ...(repeated.length > 0
      ? [`${options.runs} run(s) of ${repeated.map((scenario) => scenario.name).join(', ')}`]
      : []),
    ...(once.length > 0 ? [`once: ${once.map((scenario) => scenario.name).join(', ')}`] : []),
  ];
  log(`${plan.join(', then ')}; about ${Math.ceil(estimate / 60)} min`);

  const runs: ScenarioRun[] = [];
  // Other work on the machine, sampled while none of ours runs: before each scenario.
  const between: number[] = [];
  const perform = async (scenario: Scenario, run: number, label: string): Promise<void> => {
    const quiet = await sampleMachineLoad(300);
    if (quiet.busy !== null) between.push(quiet.busy);
    log(
      `${label} · ${scenario.title}${quiet.busy === null ? '' : ` (machine ${Math.round(quiet.busy * 100)}% busy before)`}`,
    );
    const began = performance.now();
    const record: ScenarioRun = { scenario: scenario.name, section: scenario.section, run, seconds: 0 };
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
  };
  // Runs interleave the scenarios (ceilings, service, ceilings, service…) so that drift in the
  // machine's speed during the benchmark touches ceilings and services alike.
  for (let run = 1; run <= options.runs; run += 1) {
    for (const scenario of repeated) await perform(scenario, run, `run ${run}/${options.runs}`);
  }
  for (const scenario of once) await perform(scenario, 1, 'once');

  const after = await sampleMachineLoad();
  if (after.busy !== null) between.push(after.busy);
  const otherWork = spreadOf(between);
  const busyDuring = otherWork.median > BUSY_THRESHOLD;
  if (busyDuring)
    log(
      `warning: other work ran during the benchmark (machine ${describeShare(otherWork)} busy between scenarios); figures are low and noisy`,
    );
  const summary = summarize(runs);
  const checks = collectChecks(runs);
  const targets = evaluateTargets(summary);
  const comparison =
    previous === undefined
      ? undefined
      : {
          file: previous.file,
          threshold: options.regressionThreshold,
          figures: compareSummaries(summary, previous.results.summary, options.regressionThreshold),
        };
  const machine = `${cpus().length} × ${cpus()[0]?.model.trim() ?? 'unknown CPU'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
  const load = describeLoadGeneration(options, busyText, otherWork, busyWarning || busyDuring);
  const seconds = (Date.now() - startedAt.getTime()) / 1000;
  const report = [
    renderReport({ runs: options.runs, machine, load }, summary, checks),
    '',
    renderTargets(targets),
    ...(comparison
      ? [
          '',
          renderComparison(
            comparison.file,
            comparison.figures,
            comparison.threshold,
            new Map(summary.map((row) => [row.id, row])),
          ),
        ]
      : []),
    '',
    `Total time ${Math.floor(seconds / 60)} min ${Math.round(seconds % 60)} s.`,
  ].join('\n');
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
      busyAfterEnd: after.busy,
      busyBetweenScenarios: between,
      loadAverage1mBeforeStart: idle.loadAverage1m,
    },
    options: {
      ...options,
      databaseUrl: redactPassword(options.databaseUrl),
      redisUrl: redactPassword(options.redisUrl),
    },
    load,
    summary,
    checks,
    targets,
    ...(comparison ? { comparison } : {}),
    runs,
  });
  process.stdout.write(
    `\nresults: ${path}\n(render them into loadtest/RESULTS.md with \`pnpm bench:report\`)\n`,
  );
  return failed ? 1 : 0;
}

function describeLoad(load: MachineLoad): string {
  return load.busy === null
    ? `load average ${load.loadAverage1m.toFixed(1)}`
    : `${Math.round(load.busy * 100)}% of ${load.cores} cores busy (load average ${load.loadAverage1m.toFixed(1)})`;
}

function describeShare(spread: Spread): string {
  return `${Math.round(spread.median * 100)}% (max ${Math.round(spread.max * 100)}%)`;
}

function describeLoadGeneration(
  options: BenchOptions,
  before: string,
  between: Spread,
  busyWarning: boolean,
): string[] {
  return [
    `max rate: autocannon, ${options.connections} connections, ${options.durationSeconds} s, unique ~300 B JSON bodies, 202s per second`,
    `latency: ${options.latencyRates.join(' and ')} req/s evenly spaced (open loop, ≤ ${options.latencyConnections} connections), ${options.latencyDurationSeconds} s each, send to last byte of each 202`,
    `batch: ${options.batchSize} events per request, ${options.batchConnections} connections, ${options.durationSeconds} s; processing: ${options.processingEvents.toLocaleString('en-US')} events prefilled; delivery: ${options.deliveryJobs.toLocaleString('en-US')} deliveries prefilled`,
    `end-to-end: ${options.e2eRate} events/s for ${options.e2eDurationSeconds} s after a 2 s warm-up, client send → sink receipt`,
    `capacity: steps of ${options.capacityStepSeconds} s at ${options.capacitySteps.map(percent).join(', ')} of bare express (measured ${options.capacityBareSeconds} s just before); held = p95 ≤ ${HELD_P95_MS} ms, ≥ ${percent(HELD_ACCEPTED_SHARE)} accepted, all delivered within ${STEP_GRACE_MS / 1000} s; stop after ${options.capacityMisses} missed in a row; overload: 2× capacity for ${options.overloadSeconds} s, then 0.5×`,
    `each server in its own process, warmed up ${options.warmupSeconds} s; the load generator shares the machine's cores`,
    `machine: ${before} before the start; ${Number.isFinite(between.median) ? describeShare(between) : 'unknown'} busy with other work between scenarios (median of 0.3 s samples while nothing of ours ran)${busyWarning ? ' — OTHER WORK WAS RUNNING, figures are low and noisy' : ''}`,
  ];
}

/** A path given on the command line: as given when it exists, else relative to the loadtest package. */
function resolveInput(path: string): string {
  if (isAbsolute(path) || existsSync(path)) return resolve(path);
  return join(LOADTEST_DIR, path);
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
