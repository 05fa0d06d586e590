import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Writes `<dir>/<timestamp>.json` (colons left out, so the name is valid everywhere); returns the path. */
export async function writeResults(dir: string, startedAt: Date, results: unknown): Promise<string> {
  await mkdir(dir, { recursive: true });
  const stamp = startedAt
    .toISOString()
    .replace(/[:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
  const path = join(dir, `${stamp}.json`);
  await writeFile(path, `${JSON.stringify(results, replaceNonFinite, 2)}\n`);
  return path;
}

// JSON has no NaN or Infinity; null says "not measured" more honestly than a stringified NaN.
function replaceNonFinite(_key: string, value: unknown): unknown {
  return typeof value === 'number' && !Number.isFinite(value) ? null : value;
}
