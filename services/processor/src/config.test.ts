import { ConfigError } from '@triggers/runtime';
import { loadConfig } from './config.js';

const required = { DATABASE_URL: 'postgres://127.0.0.1/triggers', REDIS_URL: 'redis://127.0.0.1:6379' };

const problemsOf = (env: Record<string, string>): string[] => {
  try {
    loadConfig({ ...required, ...env });
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  throw new Error('the config loaded');
};

describe('loadConfig', () => {
  it('loads the defaults', () => {
    expect(loadConfig(required).batch).toMatchObject({ batchSize: 500, idleMinMs: 10, idleMaxMs: 1000 });
  });

  it('lists the problems between variables with every other problem', () => {
    expect(
      problemsOf({ IDLE_POLL_MIN_MS: '2000', DB_POOL_SIZE: '3', BATCH_CONCURRENCY: '4', BATCH_SIZE: '0' }),
    ).toEqual([
      'BATCH_SIZE="0": must be at least 1',
      'IDLE_POLL_MIN_MS (2000) must not exceed IDLE_POLL_MAX_MS (1000)',
      'DB_POOL_SIZE (3) must be at least BATCH_CONCURRENCY + 1 (5)',
    ]);
  });
});
