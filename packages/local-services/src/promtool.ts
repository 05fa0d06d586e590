import { findOnPath } from './find-on-path.js';

/**
 * PROMTOOL_BIN, else `promtool` on PATH (Debian's `prometheus` package ships it); undefined when
 * neither exists. It runs the alert rules' tests.
 */
export function findPromtoolBin(env: NodeJS.ProcessEnv = process.env): string | undefined {
  return env.PROMTOOL_BIN || findOnPath('promtool', env);
}
