import { z } from 'zod';
import { ConfigError, env, withRules } from './config.js';
import { defineConfig } from './config-contract.js';
import { pipelineEnv, processEnv } from './shared-env.js';

const schema = withRules(
  processEnv({ host: '127.0.0.1', shutdownTimeoutMs: 5000 }).extend({
    DATABASE_URL: env.url(['postgres:']).describe('Postgres connection URL.'),
    MIN_MS: env.int(10, 1, 1000).describe('The smallest wait.'),
    MAX_MS: env.int(100, 1, 1000).describe('The longest wait.'),
    ENABLED: env.bool(true).describe('Whether it runs.'),
    SECRETS_FILE: env.optionalString().describe('Where the secrets are.'),
  }),
  {
    names: ['MIN_MS', 'MAX_MS'],
    problem: (e) =>
      e.MIN_MS > e.MAX_MS ? `MIN_MS (${e.MIN_MS}) must not exceed MAX_MS (${e.MAX_MS})` : undefined,
  },
);
const contract = defineConfig(schema, (e: z.output<typeof schema>) => ({
  waits: { minMs: e.MIN_MS, maxMs: e.MAX_MS },
  enabled: e.ENABLED,
}));

const problemsOf = (run: () => unknown): string[] => {
  try {
    run();
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  throw new Error('no ConfigError');
};

describe('defineConfig', () => {
  it('lists every variable with its description and the default its schema declares', () => {
    expect(contract.variables).toEqual([
      {
        name: 'HOST',
        description: "Interface the service's listeners bind to.",
        kind: 'default',
        default: '127.0.0.1',
      },
      { name: 'LOG_LEVEL', description: expect.any(String), kind: 'default', default: 'info' },
      { name: 'SHUTDOWN_TIMEOUT_MS', description: expect.any(String), kind: 'default', default: 5000 },
      { name: 'DATABASE_URL', description: 'Postgres connection URL.', kind: 'required' },
      { name: 'MIN_MS', description: 'The smallest wait.', kind: 'default', default: 10 },
      { name: 'MAX_MS', description: 'The longest wait.', kind: 'default', default: 100 },
      { name: 'ENABLED', description: 'Whether it runs.', kind: 'default', default: true },
      { name: 'SECRETS_FILE', description: 'Where the secrets are.', kind: 'optional' },
    ]);
  });

  it('refuses to list a variable without a description', () => {
    const undescribed = defineConfig(z.object({ PORT: env.int(1) }), (e) => e);
    expect(() => undescribed.variables).toThrow('PORT has no description');
  });

  it('loads the typed config, empty variables counting as unset', () => {
    expect(contract.load({ DATABASE_URL: 'postgres://db', MIN_MS: '', ENABLED: 'no' })).toEqual({
      waits: { minMs: 10, maxMs: 100 },
      enabled: false,
    });
  });

  it('reads one setting under an environment, or its default', () => {
    expect(contract.setting('MAX_MS')).toBe(100);
    expect(contract.setting('MAX_MS', { MAX_MS: '250' })).toBe(250);
    expect(contract.setting('ENABLED', { ENABLED: 'false' })).toBe(false);
    expect(problemsOf(() => contract.setting('MAX_MS', { MAX_MS: 'soon' }))).toEqual([
      'MAX_MS: must be a number',
    ]);
    expect(problemsOf(() => contract.setting('DATABASE_URL'))).toEqual(['DATABASE_URL: is required']);
  });

  it('says what is wrong with a number', () => {
    expect(
      problemsOf(() => contract.load({ DATABASE_URL: 'postgres://db', MIN_MS: '0.5', MAX_MS: '5000' })),
    ).toEqual(['MIN_MS="0.5": must be an integer', 'MAX_MS="5000": must be at most 1000']);
  });
});

describe('withRules', () => {
  it('lists a problem between variables with the problems of single variables', () => {
    expect(problemsOf(() => contract.load({ MIN_MS: '500', MAX_MS: '50', ENABLED: 'maybe' }))).toEqual([
      'DATABASE_URL: is required',
      'ENABLED="maybe": must be true or false',
      'MIN_MS (500) must not exceed MAX_MS (50)',
    ]);
  });

  it('leaves the rule out while one of its variables is itself invalid', () => {
    expect(
      problemsOf(() => contract.load({ DATABASE_URL: 'postgres://db', MIN_MS: '500', MAX_MS: 'x' })),
    ).toEqual(['MAX_MS="x": must be a number']);
  });

  it('compares defaults too', () => {
    expect(problemsOf(() => contract.load({ DATABASE_URL: 'postgres://db', MIN_MS: '101' }))).toEqual([
      'MIN_MS (101) must not exceed MAX_MS (100)',
    ]);
  });
});

describe('pipelineEnv', () => {
  it('gives every pipeline service the same shared variables, with its own ports and deadlines', () => {
    const a = pipelineEnv({ metricsPort: 9400, shutdownTimeoutMs: 10_000 });
    const b = pipelineEnv({ metricsPort: 9402, shutdownTimeoutMs: 20_000 });
    expect(Object.keys(a.shape)).toEqual(Object.keys(b.shape));
    expect(Object.keys(a.shape)).toEqual(
      expect.arrayContaining([
        'DATABASE_URL',
        'REDIS_URL',
        'REDIS_KEY_PREFIX',
        'HOST',
        'METRICS_PORT',
        'LOG_LEVEL',
      ]),
    );
    expect(defineConfig(b, (e) => e).setting('METRICS_PORT')).toBe(9402);
  });
});
