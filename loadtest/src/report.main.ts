// `pnpm bench:report [results/<file>.json] [--out FILE]`: renders a results file (the newest by
// default) into loadtest/RESULTS.md, the page docs/performance.md links for every figure, and
// the capacity run's latency curve into capacity-latency.svg beside it.
import { rm, writeFile } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { LOADTEST_DIR, REPO_DIR } from './harness/paths.js';
import { CAPACITY_CHART_FILE, capacityChart } from './report/capacity-chart.js';
import { renderLatencyChart } from './report/latency-chart.js';
import { latestResultsFile, readResults } from './report/results-file.js';
import { renderResultsMarkdown } from './report/results-markdown.js';

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    args: process.argv.slice(2).filter((arg) => arg !== '--'),
    allowPositionals: true,
    options: { out: { type: 'string' }, 'results-dir': { type: 'string' } },
  });
  const fromPackage = (path: string) => (isAbsolute(path) ? path : resolve(LOADTEST_DIR, path));
  const file =
    positionals[0] !== undefined
      ? fromPackage(positionals[0])
      : await latestResultsFile(
          fromPackage(values['results-dir'] ?? process.env.BENCH_RESULTS_DIR ?? 'results'),
        );
  const out = fromPackage(values.out ?? 'RESULTS.md');
  const results = await readResults(file);
  // The page links the chart only when there is one: a chart left from an earlier file goes, so
  // the page and the chart beside it always come from the same results.
  const chart = capacityChart(results);
  const chartPath = join(dirname(out), CAPACITY_CHART_FILE);
  if (chart === undefined) await rm(chartPath, { force: true });
  else await writeFile(chartPath, renderLatencyChart(chart.input));
  await writeFile(out, renderResultsMarkdown(results, relative(REPO_DIR, file)));
  const written = [out, ...(chart ? [chartPath] : [])].map((path) => relative(process.cwd(), path) || path);
  process.stdout.write(`${written.join(' and ')} written from ${relative(process.cwd(), file)}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`bench:report: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
