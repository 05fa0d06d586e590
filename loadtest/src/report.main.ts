// `pnpm bench:report [results/<file>.json] [--out FILE]`: renders a results file (the newest by
// default) into loadtest/RESULTS.md, the page the root README links for performance figures.
import { writeFile } from 'node:fs/promises';
import { isAbsolute, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { LOADTEST_DIR, REPO_DIR } from './harness/paths.js';
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
  await writeFile(out, renderResultsMarkdown(results, relative(REPO_DIR, file)));
  process.stdout.write(
    `${relative(process.cwd(), out) || out} written from ${relative(process.cwd(), file)}\n`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`bench:report: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
