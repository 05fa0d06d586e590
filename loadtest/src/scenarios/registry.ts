import { bareExpressScenario, bareHttpScenario } from './ceilings.js';
import { ingestScenario } from './ingest.js';
import type { Scenario } from './scenario.js';

/**
 * Every scenario, in the order a run performs them: ceilings first, so that each figure of the
 * real services reads against ceilings measured minutes earlier on the same machine. A new
 * scenario (processing rate, delivery rate, end-to-end latency, raw INSERT ceiling) is one file
 * under scenarios/ and one line here.
 */
export const SCENARIOS: readonly Scenario[] = [bareHttpScenario, bareExpressScenario, ingestScenario];

/** The scenarios named in `only` (all when empty); throws on an unknown name. */
export function selectScenarios(only: string[]): Scenario[] {
  if (only.length === 0) return [...SCENARIOS];
  const unknown = only.filter((name) => !SCENARIOS.some((scenario) => scenario.name === name));
  if (unknown.length > 0) {
    throw new Error(
      `unknown scenario ${unknown.join(', ')}; known: ${SCENARIOS.map((scenario) => scenario.name).join(', ')}`,
    );
  }
  return SCENARIOS.filter((scenario) => only.includes(scenario.name));
}
