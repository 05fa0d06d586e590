// Risk: images that cannot start or stop cleanly (node not PID 1 behind an init, shell-form
// commands swallowing SIGTERM), run as root, run another Node than CI tests, carry dev dependencies
// (a TypeScript runner among them) or the whole build context, or listen where nothing expects
// them. There is no Docker engine here: the Dockerfile is linted and its rules are checked by
// parsing it (images-run-compiled-bundles.test.ts runs what the images run).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DockerfileParser } from 'dockerfile-ast';
import { validate } from 'dockerfile-utils';
import { SERVICE_NAMES } from '@triggers/service-launcher';
import {
  copiedBundle as bundleOf,
  dockerfileText,
  effectiveStep,
  loadStages,
  stageChain,
} from '../src/dockerfile.js';
import { paths } from '../src/repo.js';
import { listenPorts, loadServiceConfig, requiredPlaceholders } from '../src/service-config.js';
import { compiledEntry, workspacePackagesRunBy } from '../src/workspace-packages.js';

const stages = loadStages();
const services = SERVICE_NAMES;
const targets = [...services, 'migrations'];
const buildSteps = stages.find((s) => s.name === 'build')!.steps;
/** The export condition the images hand node, under which workspace packages resolve to their dist/. */
const distCondition = /^--conditions=([\w-]+)$/.exec(
  effectiveStep(stages, 'ingest-api', 'CMD')?.exec?.[1] ?? '',
)?.[1];

const copiedBundle = (target: string) => bundleOf(stages, target);

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

  it('is based on the exact Node release that .nvmrc pins and CI tests on', () => {
    const nodeImage = DockerfileParser.parse(dockerfileText())
      .getInitialARGs()
      .find((arg) => arg.getProperty()?.getName() === 'NODE_IMAGE')
      ?.getProperty()
      ?.getValue();
    const pinned = readFileSync(paths.nvmrc, 'utf8').trim();
    expect(pinned).toMatch(/^24\.\d+\.\d+$/);
    expect(nodeImage).toBe(`node:${pinned}-bookworm-slim`);
    for (const stage of stages.filter((s) => !stages.some((other) => other.name === s.base))) {
      expect(stage.base).toBe('${NODE_IMAGE}');
    }
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

  it('compiles every package to dist/ before the bundles are made', () => {
    const runs = buildSteps.filter((s) => s.keyword === 'RUN').map((s) => s.text);
    const build = runs.findIndex((text) => /\bpnpm build\b/.test(text));
    expect(build).toBeGreaterThanOrEqual(0);
    expect(runs.findIndex((text) => /\bdeploy --prod\b/.test(text))).toBeGreaterThan(build);
  });

  it.each(targets)('%s runs compiled JavaScript that its own source compiles to', (target) => {
    const cmd = effectiveStep(stages, target, 'CMD')!.exec!;
    expect(distCondition).toBeDefined();
    expect(cmd.slice(0, 2)).toEqual(['node', `--conditions=${distCondition}`]);
    expect(cmd).toHaveLength(3);
    const bundle = copiedBundle(target)!.split('/').at(-1)!;
    const entry = compiledEntry(bundle, cmd[2]!);
    // A workspace package's script is in the bundle only as a production dependency.
    if (entry.package.dir !== paths.service(bundle)) expect(entry.dependencySpec).toBe('workspace:*');
    expect(existsSync(entry.source)).toBe(true);
    expect(entry.package.buildScript).toBe('tsc -p tsconfig.build.json');
  });

  it.each(services)('%s has no TypeScript runner among its production dependencies', (service) => {
    const packageJson = JSON.parse(readFileSync(join(paths.service(service), 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
    };
    expect(packageJson.dependencies).not.toHaveProperty('tsx');
  });

  it.each(services)(
    '%s resolves each workspace package it runs to compiled code under the image condition',
    (service) => {
      const packages = workspacePackagesRunBy(service);
      if (service !== 'webhook-sink') expect(packages.map((p) => p.name)).toContain('@triggers/db');
      for (const workspacePackage of packages) {
        expect(workspacePackage.buildScript).toBe('tsc -p tsconfig.build.json');
        for (const [subpath, target] of Object.entries(workspacePackage.exports)) {
          const file = subpath === '.' ? 'index' : subpath.replace(/^\.\//, '');
          expect([workspacePackage.name, subpath, target]).toEqual([
            workspacePackage.name,
            subpath,
            { [distCondition!]: `./dist/${file}.js`, default: `./src/${file}.ts` },
          ]);
        }
      }
    },
  );

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
