// Risk: an image whose command does not start: a script `pnpm build` does not produce, a workspace
// package that resolves to TypeScript (which plain node does not run), or a module the service
// needs that `pnpm deploy --prod` leaves out of its bundle. No Docker engine runs here, so each
// bundle is made the way the Dockerfile's build stage makes it (`pnpm build`, then `pnpm deploy
// --prod`) and each target's CMD runs in it, on the Node running the tests (CI runs them on the
// machine's Node and on the Node 24 the images are based on).
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { findFreePort } from '@triggers/local-services';
import {
  createTestDatabase,
  deleteRedisKeys,
  testRedisUrl,
  uniqueRedisPrefix,
  type TestDatabase,
} from '@triggers/testing';
import { copiedBundle, effectiveStep, loadStages } from '../src/dockerfile.js';
import { SERVICE_NAMES, serviceReadyUrl, startNodeProcess, waitUntilReady } from '@triggers/service-launcher';
import { repoRoot } from '../src/repo.js';

const run = promisify(execFile);
const stages = loadStages();
const bundleName = (target: string) => copiedBundle(stages, target)!.split('/').at(-1)!;

let out: string;
let database: TestDatabase;
const redisKeyPrefix = uniqueRedisPrefix();

/** The target's CMD, run in the bundle it copies, with the Node running the tests. */
function imageLaunch(target: string): { cwd: string; args: string[] } {
  const [node, ...args] = effectiveStep(stages, target, 'CMD')!.exec!;
  expect(node).toBe('node');
  return { cwd: join(out, bundleName(target)), args };
}

beforeAll(async () => {
  out = mkdtempSync(join(tmpdir(), 'triggers-bundles-'));
  // Without type-checking, which `make test` does on its own: under isolatedModules tsc emits the
  // same JavaScript either way, in about half the time. At a low priority (nice), so that the
  // suites running beside this one, some of them timing-sensitive, keep the CPU they need.
  await run('nice', ['-n', '10', 'pnpm', 'build', '--noCheck'], { cwd: repoRoot });
  const targets = stages.map((s) => s.name).filter((name) => copiedBundle(stages, name));
  for (const name of new Set(targets.map(bundleName))) {
    const deploy = ['pnpm', '--filter', `@triggers/${name}`, 'deploy', '--prod', join(out, name)];
    await run('nice', ['-n', '10', ...deploy], {
      cwd: repoRoot,
      env: { ...process.env, CI: 'true' },
    });
  }
  database = await createTestDatabase({ migrate: false });
}, 600_000);

afterAll(async () => {
  await database?.drop();
  await deleteRedisKeys(testRedisUrl(), redisKeyPrefix);
  if (out) rmSync(out, { recursive: true, force: true });
});

describe('what the images run, from bundles made as the Dockerfile makes them', () => {
  it('migrations brings an empty database to the latest schema', async () => {
    const { cwd, args } = imageLaunch('migrations');
    const env = { PATH: process.env.PATH, NODE_ENV: 'production', DATABASE_URL: database.url };
    const first = await run(process.execPath, args, { cwd, env });
    expect(first.stdout).toMatch(/^Up \w+: Success$/m);
    const second = await run(process.execPath, args, { cwd, env });
    expect(second.stdout.trim()).toBe('nothing to migrate');
  });

  it.each([...SERVICE_NAMES])('%s starts, becomes ready and exits cleanly on SIGTERM', async (service) => {
    const port = await findFreePort();
    const metricsPort = await findFreePort({ exclude: new Set([port]) });
    const { cwd, args } = imageLaunch(service);
    const started = startNodeProcess({
      name: service,
      cwd,
      nodeArgs: args.slice(0, -1),
      script: args.at(-1)!,
      env: {
        DATABASE_URL: database.url,
        REDIS_URL: testRedisUrl(),
        REDIS_KEY_PREFIX: redisKeyPrefix,
        ADMIN_TOKEN: 'images-test-admin-token-0123456789',
        HOST: '127.0.0.1',
        PORT: String(port),
        METRICS_PORT: String(metricsPort),
        LOG_LEVEL: 'warn',
      },
    });
    let exit;
    try {
      const readiness = serviceReadyUrl(service, { PORT: port, METRICS_PORT: metricsPort });
      await waitUntilReady(readiness, started, 45_000);
    } finally {
      exit = await started.stop();
    }
    expect({ exit, output: started.output() }).toEqual({
      exit: { code: 0, signal: null },
      output: expect.any(String),
    });
  });
});
