// k6 does not run on our machines: this keeps its scripts honest anyway — each type-checks
// against @types/k6, parses as an ES module, carries our thresholds, reads its target from the
// environment, and is documented in the README with the command that runs it.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';

const LOADTEST_DIR = join(__dirname, '..');
const K6_DIR = join(LOADTEST_DIR, 'k6');
const scripts = readdirSync(K6_DIR)
  .filter((name) => name.endsWith('.js'))
  .sort();
const read = (path: string) => readFileSync(join(K6_DIR, path), 'utf8');

describe('k6 scripts', () => {
  it('cover steady, ramp, spike, batch, mixed and end-to-end load', () => {
    expect(scripts).toEqual([
      'e2e.js',
      'ingest-batch.js',
      'ingest-ramp.js',
      'ingest-spike.js',
      'ingest-steady.js',
      'mixed.js',
    ]);
  });

  it('type-check against @types/k6', () => {
    const parsed = ts.getParsedCommandLineOfConfigFile(
      join(K6_DIR, 'tsconfig.json'),
      {},
      {
        ...ts.sys,
        onUnRecoverableConfigFileDiagnostic: (diagnostic) => {
          throw new Error(ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'));
        },
      },
    );
    if (parsed === undefined) throw new Error('k6/tsconfig.json could not be read');
    expect(parsed.fileNames.map((file) => file.slice(K6_DIR.length + 1)).sort()).toEqual(
      [...scripts, 'lib/config.js'].sort(),
    );
    const program = ts.createProgram(parsed.fileNames, parsed.options);
    const problems = ts.getPreEmitDiagnostics(program).map((diagnostic) => {
      const where =
        diagnostic.file && diagnostic.start !== undefined
          ? `${diagnostic.file.fileName.slice(K6_DIR.length + 1)}:${diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start).line + 1} `
          : '';
      return `${where}${ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n')}`;
    });
    expect(problems).toEqual([]);
  });

  it.each([...scripts, 'lib/config.js'])('%s parses as an ES module', (script) => {
    expect(() =>
      execFileSync(process.execPath, ['--check', join(K6_DIR, script)], { stdio: 'pipe' }),
    ).not.toThrow();
  });

  it.each(scripts)('%s has thresholds and takes the API and the key from the environment', (script) => {
    const text = read(script);
    expect(text).toMatch(/^export const options = \{/m);
    expect(text).toMatch(/thresholds: /);
    // Either our standard set, or the targets spelled through TARGETS.
    expect(text).toMatch(/INGEST_THRESHOLDS|TARGETS\.errorRate/);
    expect(text).toMatch(/from '\.\/lib\/config\.js'/);
    expect(text).toMatch(/requireApiKey\(\)/);
  });

  it('holds our targets in one place: p95 under 10 ms, errors under 0.1%, BASE_URL and API_KEY from the environment', () => {
    const text = read('lib/config.js');
    expect(text).toContain("ingestP95: 'p(95)<10'");
    expect(text).toContain("errorRate: 'rate<0.001'");
    expect(text).toContain('__ENV.BASE_URL');
    expect(text).toContain('__ENV.API_KEY');
  });

  it.each(scripts)('%s is documented in the README with its command', (script) => {
    const readme = readFileSync(join(LOADTEST_DIR, 'README.md'), 'utf8');
    expect(readme).toContain(`k6 run`);
    expect(readme).toMatch(new RegExp(`k6 run [^\\n]*loadtest/k6/${script.replace('.', '\\.')}`));
  });

  it.each(scripts)('%s reads every variable its comments and the README pass it', (script) => {
    const names = new Set(
      [read(script), read('lib/config.js')].flatMap((text) =>
        [...text.matchAll(/__ENV\.([A-Z_]+)|envNumber\('([A-Z_]+)'/g)].map((m) => m[1] ?? m[2]!),
      ),
    );
    const readme = readFileSync(join(LOADTEST_DIR, 'README.md'), 'utf8');
    const commands = [
      ...read(script)
        .split('\n')
        .filter((line) => line.startsWith('//')),
      ...readme.split('\n').filter((line) => line.includes(`loadtest/k6/${script}`)),
    ];
    const passed = commands.flatMap((line) => [...line.matchAll(/-e ([A-Z_]+)=/g)].map((m) => m[1]!));
    expect(passed.length).toBeGreaterThan(0);
    expect(passed.filter((name) => !names.has(name))).toEqual([]);
  });
});
