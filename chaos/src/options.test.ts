import { parseOptions } from './options.js';

describe('parseOptions', () => {
  it('runs the full suite by default', () => {
    expect(parseOptions([], {})).toMatchObject({ mode: 'full', rate: 300, keep: false, only: undefined });
  });

  it('takes --short from the command line (after pnpm’s `--`) or CHAOS_SHORT', () => {
    expect(parseOptions(['--', '--short'], {}).mode).toBe('short');
    expect(parseOptions([], { CHAOS_SHORT: '1' }).mode).toBe('short');
  });

  it('reads seed, rate and the rounds to run', () => {
    expect(parseOptions(['--seed=42', '--rate=100', '--only=3,5'], {})).toMatchObject({
      seed: 42,
      rate: 100,
      only: [3, 5],
    });
  });

  it('refuses unknown options and bad numbers', () => {
    expect(() => parseOptions(['--fast'], {})).toThrow(/unknown option/);
    expect(() => parseOptions(['--rate=lots'], {})).toThrow(/positive number/);
  });
});
