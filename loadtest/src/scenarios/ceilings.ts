import type { BenchOptions } from '../options/bench-options.js';
import { createBenchDatabase } from '../harness/bench-database.js';
import { loadtestPath, LOADTEST_DIR } from '../harness/paths.js';
import { startChild } from '../harness/child-process.js';
import { createEventBodies } from '../harness/event-body.js';
import {
  endpointChecks,
  endpointMeasurements,
  measureEndpoint,
  phaseSeconds,
  withoutIds,
  type EndpointPhases,
} from './endpoint-phases.js';
import type { Scenario } from './scenario.js';

export interface CeilingSpec {
  name: string;
  title: string;
  subject: string;
  /** Entry point of the server, relative to the loadtest package. */
  script: string;
  /** Ceilings this one is itself read against (express against node:http). */
  below?: string[];
  /** Give the server a fresh migrated database of its own, as DATABASE_URL. */
  database?: boolean;
}

/** A ceiling: a minimal server in a child process, put through the same phases as the real service. */
function ceilingScenario(spec: CeilingSpec): Scenario {
  return {
    name: spec.name,
    title: spec.title,
    section: 'Ceilings of this machine (same run)',
    // A database of its own takes seconds to create and migrate.
    estimateSeconds: (options) => phaseSeconds(options) + (spec.database ? 4 : 1),
    run: async ({ options, run, log }) => {
      const { phases, pid } = await measureCeiling(spec, options, run, log, { latency: true });
      return {
        measurements: endpointMeasurements(phases, {
          prefix: spec.name,
          subject: spec.subject,
          ceilings: spec.below ?? [],
        }),
        checks: endpointChecks(phases, spec.subject),
        details: { pid, cpu: phases.maxRateCpu, phases: withoutIds(phases) },
      };
    },
  };
}

/** Starts a ceiling's server, puts it through `measureEndpoint`'s phases and stops it again. */
export async function measureCeiling(
  spec: CeilingSpec,
  options: BenchOptions,
  run: number,
  log: (message: string) => void,
  phases: { latency: boolean },
): Promise<{ phases: EndpointPhases; pid: number }> {
  const database = spec.database
    ? await createBenchDatabase(options.databaseUrl, options.keepDatabase)
    : undefined;
  const child = startChild({
    name: spec.name,
    script: loadtestPath(spec.script),
    cwd: LOADTEST_DIR,
    inheritEnv: 'all',
    env: { PORT: '0', NODE_ENV: 'production', ...(database ? { DATABASE_URL: database.url } : {}) },
  });
  try {
    const { port } = await child.firstMessage<{ port: number }>(15_000);
    const measured = await measureEndpoint(
      {
        origin: `http://127.0.0.1:${port}`,
        path: '/api/events',
        headers: {},
        nextBody: createEventBodies(`${spec.name}-r${run}`),
      },
      options,
      log,
      phases,
      [{ name: spec.name, pid: child.pid }],
    );
    return { phases: measured, pid: child.pid };
  } finally {
    await child.stop();
    await database?.drop();
  }
}

export const bareHttpScenario = ceilingScenario({
  name: 'bare-http',
  title: 'Ceiling: bare node:http answering 202',
  subject: 'bare node:http',
  script: 'src/ceilings/bare-http.server.ts',
});

export const BARE_EXPRESS: CeilingSpec = {
  name: 'bare-express',
  title: 'Ceiling: bare express 5 + express.json() answering 202',
  subject: 'bare express 5',
  script: 'src/ceilings/bare-express.server.ts',
  below: ['bare-http'],
};

export const bareExpressScenario = ceilingScenario(BARE_EXPRESS);

export const bareExpressDurableScenario = ceilingScenario({
  name: 'bare-express-durable',
  title: 'Ceiling: bare express 5 + the durable write (group commit into event_queue) answering 202',
  subject: 'bare express 5 + durable write',
  script: 'src/ceilings/bare-express-durable.server.ts',
  below: ['bare-express'],
  database: true,
});
