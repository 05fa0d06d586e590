import type { BenchOptions } from '../options/bench-options.js';
import { capacityScenario } from './capacity.js';
import { bareExpressDurableScenario, bareExpressScenario, bareHttpScenario } from './ceilings.js';
import { deliveryScenario } from './delivery.js';
import { e2eScenario } from './e2e.js';
import { ingestBatchScenario } from './ingest-batch.js';
import { ingestScenario } from './ingest.js';
import { overloadScenario } from './overload.js';
import { postgresInsertScenario } from './postgres-insert.js';
import { processingDurableCeilingScenario } from './processing-durable-ceiling.js';
import { processingScenario } from './processing.js';
import type { Scenario } from './scenario.js';
import { soakScenario } from './soak.js';

/**
 * Every scenario for these options, in the order a run performs them: ceilings first, so that
 * each figure of the real services reads against ceilings measured minutes earlier on the same
 * machine; then the services one at a time; the scale-out variants (`--scale N`) after the
 * one-instance figures they read against; then once, at the end, the soak (`--soak S`) and the
 * capacity search and overload, which take minutes each. A new scenario is one file under
 * scenarios/ and one line here.
 */
export function allScenarios(options: Pick<BenchOptions, 'scale' | 'soakSeconds'>): Scenario[] {
  const scaleOut = options.scale > 1;
  return [
    bareHttpScenario,
    bareExpressScenario,
    bareExpressDurableScenario,
    postgresInsertScenario,
    processingDurableCeilingScenario,
    ingestScenario(1),
    ingestBatchScenario,
    processingScenario(1),
    deliveryScenario(1),
    e2eScenario(1),
    ...(scaleOut
      ? [
          ingestScenario(options.scale),
          processingScenario(options.scale),
          deliveryScenario(options.scale),
          e2eScenario(options.scale),
        ]
      : []),
    ...(options.soakSeconds > 0 ? [soakScenario] : []),
    capacityScenario,
    overloadScenario,
  ];
}

/** The scenarios named in `only` (all when empty); throws on an unknown name. */
export function selectScenarios(options: Pick<BenchOptions, 'only' | 'scale' | 'soakSeconds'>): Scenario[] {
  const scenarios = allScenarios(options);
  if (options.only.length === 0) return scenarios;
  const unknown = options.only.filter((name) => !scenarios.some((scenario) => scenario.name === name));
  if (unknown.length > 0) {
    throw new Error(
      `unknown scenario ${unknown.join(', ')}; known with these options: ${scenarios.map((scenario) => scenario.name).join(', ')}` +
        ' (the -xN variants need --scale N, soak needs --soak S)',
    );
  }
  return scenarios.filter((scenario) => options.only.includes(scenario.name));
}
