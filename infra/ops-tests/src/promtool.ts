import { spawnSync } from 'node:child_process';
import { dirname } from 'node:path';
import { findPromtoolBin } from '@triggers/local-services';
import { paths } from './repo.js';

export interface PromtoolResult {
  status: number;
  output: string;
}

/** Runs promtool in infra/prometheus (rule files name each other relative to it). */
export function runPromtool(args: string[]): PromtoolResult {
  const bin = findPromtoolBin();
  if (!bin) {
    throw new Error(
      'promtool not found: `make test` installs it (Debian package prometheus), or set PROMTOOL_BIN',
    );
  }
  const result = spawnSync(bin, args, { cwd: dirname(paths.alertRules), encoding: 'utf8' });
  if (result.error) throw result.error;
  return { status: result.status ?? 1, output: `${result.stdout}${result.stderr}` };
}
