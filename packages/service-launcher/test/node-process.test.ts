// Risk: a child that keeps variables of the caller's shell, ignores SIGTERM forever, or whose
// output is lost when it fails.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startNodeProcess, type NodeProcessOptions, type ProcessExit } from '../src/index.js';

const fixture = (options: Partial<NodeProcessOptions> = {}) =>
  startNodeProcess({
    name: 'fixture',
    script: join(__dirname, 'fixtures', 'child.fixture.ts'),
    cwd: __dirname,
    ipc: true,
    ...options,
  });

describe('startNodeProcess', () => {
  it('passes only the base variables and its own, with NODE_ENV production', async () => {
    process.env.MAX_ATTEMPTS = '7';
    const child = fixture({ env: { OWN: 'yes' } });
    try {
      const { env } = await child.firstMessage<{ env: Record<string, string> }>(20_000);
      expect(env).toMatchObject({ OWN: 'yes', NODE_ENV: 'production', PATH: process.env.PATH });
      expect(env.MAX_ATTEMPTS).toBeUndefined();
    } finally {
      delete process.env.MAX_ATTEMPTS;
      await child.stop();
    }
  });

  it('inherits everything when told to, and keeps what the child printed', async () => {
    process.env.MAX_ATTEMPTS = '7';
    const child = fixture({ inheritEnv: 'all' });
    try {
      const { env } = await child.firstMessage<{ env: Record<string, string> }>(20_000);
      expect(env.MAX_ATTEMPTS).toBe('7');
      expect(child.outputLines()).toEqual(['fixture started']);
    } finally {
      delete process.env.MAX_ATTEMPTS;
      await child.stop();
    }
  });

  it('stops with SIGTERM, and reports the exit as requested', async () => {
    const exits: [ProcessExit, boolean][] = [];
    const child = fixture({ onExit: (exit, requested) => exits.push([exit, requested]) });
    await child.firstMessage(20_000);
    expect(child.isAlive()).toBe(true);
    expect(await child.stop()).toEqual({ code: null, signal: 'SIGTERM' });
    expect(child.isAlive()).toBe(false);
    expect(exits).toEqual([[{ code: null, signal: 'SIGTERM' }, true]]);
  });

  it('sends SIGKILL when SIGTERM is not obeyed within the grace period', async () => {
    const child = fixture({ env: { IGNORE_SIGTERM: 'yes' } });
    await child.firstMessage(20_000);
    const started = Date.now();
    expect(await child.stop(300)).toEqual({ code: null, signal: 'SIGKILL' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(300);
  });

  it('reports an exit nobody asked for as unrequested', async () => {
    const exits: boolean[] = [];
    const child = fixture({ onExit: (_exit, requested) => exits.push(requested) });
    await child.firstMessage(20_000);
    process.kill(child.pid, 'SIGKILL');
    expect(await child.exited).toEqual({ code: null, signal: 'SIGKILL' });
    expect(exits).toEqual([false]);
  });

  it('appends its output to a file under a banner', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'launcher-')), 'child.log');
    const child = fixture({ output: { to: 'file', path: file, banner: 'starting fixture' } });
    await child.firstMessage(20_000);
    await child.kill();
    expect(readFileSync(file, 'utf8')).toBe('\n--- starting fixture ---\nfixture started\n');
    expect(child.outputLines()).toEqual(['', '--- starting fixture ---', 'fixture started']);
  });
});
