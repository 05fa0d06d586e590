// Risk: a processor started with settings that contradict each other runs anyway, or dies with a
// stack trace instead of naming every variable to fix (the orchestrator shows only its output).
import { spawn } from 'node:child_process';
import { join } from 'node:path';

const MAIN = join(__dirname, '..', 'src', 'main.ts');

function runProcessor(env: Record<string, string>): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN], {
    cwd: join(__dirname, '..'),
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, stderr })));
}

describe('a processor started with an invalid configuration', () => {
  it('exits 2 listing every problem, those between variables included', async () => {
    const { code, stderr } = await runProcessor({
      DATABASE_URL: 'postgres://127.0.0.1:1/nowhere',
      REDIS_URL: 'redis://127.0.0.1:1',
      IDLE_POLL_MIN_MS: '2000',
      IDLE_POLL_MAX_MS: '1000',
      BATCH_SIZE: 'many',
    });
    expect({ code, stderr }).toEqual({
      code: 2,
      stderr:
        'processor: invalid configuration:\n' +
        '  - BATCH_SIZE="many": must be a number\n' +
        '  - IDLE_POLL_MIN_MS (2000) must not exceed IDLE_POLL_MAX_MS (1000)\n',
    });
  });
});
