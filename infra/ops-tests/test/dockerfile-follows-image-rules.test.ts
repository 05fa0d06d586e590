// Risk: images that cannot start or stop cleanly (node not PID 1 behind an init, shell-form
// commands swallowing SIGTERM), run as root, carry dev dependencies or the whole build context, or
// listen where nothing expects them. There is no Docker engine here: the Dockerfile is linted and
// its rules are checked by parsing it.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { validate } from 'dockerfile-utils';
import { SERVICE_NAMES } from '@triggers/service-launcher';
import { dockerfileText, effectiveStep, loadStages, stageChain } from '../src/dockerfile.js';
import { paths, repoRoot } from '../src/repo.js';
import { listenPorts, loadServiceConfig, requiredPlaceholders } from '../src/service-config.js';

const stages = loadStages();
const services = SERVICE_NAMES;
const targets = [...services, 'migrations'];
const buildSteps = stages.find((s) => s.name === 'build')!.steps;

/** The folder a target copies from the build stage (/out/<name>). */
const copiedBundle = (target: string) =>
  stageChain(stages, target)
    .flatMap((s) => s.steps)
    .find((s) => s.keyword === 'COPY' && s.flags.from === 'build')?.args[0];

/** Environment a target's image sets with ENV, base stages first. */
const imageEnv = (target: string) =>
  Object.fromEntries(
    stageChain(stages, target)
      .reverse()
      .flatMap((s) => s.steps.filter((step) => step.keyword === 'ENV'))
      .flatMap((step) => step.args.map((a) => a.split('=') as [string, string])),
  );

describe('the Dockerfile', () => {
  it('passes the dockerfile-utils linter', () => {
    expect(validate(dockerfileText()).map((d) => `${d.range.start.line + 1}: ${d.message}`)).toEqual([]);
  });

  it('is multi-stage: a build stage, and one target per component on a shared runtime stage', () => {
    expect(stages.map((s) => s.name)).toEqual(expect.arrayContaining(['build', 'runtime', ...targets]));
    for (const target of targets) expect(stageChain(stages, target).map((s) => s.name)).toContain('runtime');
    for (const target of targets)
      expect(stageChain(stages, target).map((s) => s.name)).not.toContain('build');
  });

  it('installs the pnpm that package.json pins, and builds from the lockfile alone', () => {
    const pinned = (
      JSON.parse(readFileSync(paths.rootPackageJson, 'utf8')) as { packageManager: string }
    ).packageManager.split('@')[1];
    expect(
      buildSteps.find((s) => s.keyword === 'ARG' && s.args[0]?.startsWith('PNPM_VERSION='))?.args[0],
    ).toBe(`PNPM_VERSION=${pinned}`);
    expect(buildSteps.some((s) => s.keyword === 'RUN' && /\bpnpm fetch\b/.test(s.text))).toBe(true);
  });

  it.each(targets)(
    '%s copies a bundle made by `pnpm deploy --prod` and nothing else from the context',
    (target) => {
      const bundle = copiedBundle(target);
      expect(bundle).toMatch(/^\/out\/[\w-]+$/);
      const name = bundle!.split('/').at(-1);
      const deploy = new RegExp(`pnpm --filter @triggers/${name} deploy --prod ${bundle}(\\s|$)`);
      expect(buildSteps.some((s) => s.keyword === 'RUN' && deploy.test(s.text))).toBe(true);
      for (const stage of stageChain(stages, target)) {
        for (const step of stage.steps.filter((s) => s.keyword === 'COPY' || s.keyword === 'ADD')) {
          expect(step.flags.from).toBe('build');
        }
      }
    },
  );

  it.each(targets)('%s runs as a numeric non-root user', (target) => {
    const user = effectiveStep(stages, target, 'USER')?.args[0];
    expect(user).toMatch(/^\d+(:\d+)?$/);
    expect(Number(user!.split(':')[0])).toBeGreaterThan(0);
  });

  it.each(targets)('%s starts node itself, in exec form, under tini as PID 1', (target) => {
    const entrypoint = effectiveStep(stages, target, 'ENTRYPOINT');
    const cmd = effectiveStep(stages, target, 'CMD');
    expect(entrypoint?.exec).toEqual(['/usr/bin/tini', '--']);
    expect(cmd?.exec?.[0]).toBe('node');
    expect(
      stages.find((s) => s.name === 'runtime')!.steps.some((s) => /apt-get install .*\btini\b/.test(s.text)),
    ).toBe(true);
    expect(imageEnv(target).NODE_ENV).toBe('production');
  });

  it.each(targets)('%s runs a script its bundle really contains', (target) => {
    const cmd = effectiveStep(stages, target, 'CMD')!.exec!;
    expect(cmd.slice(0, 3)).toEqual(['node', '--import', 'tsx']);
    const script = cmd[3]!;
    const bundle = copiedBundle(target)!.split('/').at(-1)!;
    const packageJson = JSON.parse(readFileSync(join(paths.service(bundle), 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
    };
    // tsx runs the TypeScript at start: it must be a production dependency to survive --prod.
    expect(packageJson.dependencies.tsx).toBeDefined();
    const workspacePackage = /^node_modules\/@triggers\/([\w-]+)\/(.+)$/.exec(script);
    if (workspacePackage) {
      expect(packageJson.dependencies[`@triggers/${workspacePackage[1]}`]).toBe('workspace:*');
      expect(existsSync(join(repoRoot, 'packages', workspacePackage[1]!, workspacePackage[2]!))).toBe(true);
    } else {
      expect(existsSync(join(paths.service(bundle), script))).toBe(true);
    }
  });

  it.each(services)('%s exposes and health-checks the ports the service listens on by default', (service) => {
    const env = imageEnv(service);
    const ports = listenPorts(service, env);
    const expected = [ports.http, ports.metrics].filter((p) => p !== undefined).map(String);
    expect(effectiveStep(stages, service, 'EXPOSE')?.args.sort()).toEqual(expected.sort());
    const healthcheck = effectiveStep(stages, service, 'HEALTHCHECK')!.text;
    expect(healthcheck).toContain(`||${ports.metrics ?? ports.http})+'/healthz'`);
  });

  it.each(services)('%s listens on every interface inside its container', (service) => {
    const config = loadServiceConfig(service, { ...requiredPlaceholders, ...imageEnv(service) }) as {
      http?: { host: string };
      metrics?: { host?: string };
    };
    expect(config.http?.host ?? '0.0.0.0').toBe('0.0.0.0');
    expect(config.metrics?.host ?? '0.0.0.0').toBe('0.0.0.0');
  });
});

describe('.dockerignore', () => {
  it('keeps installed dependencies, git, local data and tests out of the build context', () => {
    const rules = readFileSync(paths.dockerignore, 'utf8')
      .split('\n')
      .map((l) => l.trim());
    for (const rule of ['**/node_modules', '.git', '.data', '**/test', '**/*.test.ts']) {
      expect(rules).toContain(rule);
    }
  });
});
