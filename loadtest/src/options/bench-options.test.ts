import { DEFAULT_OPTIONS, OptionsError, parseBenchOptions } from './bench-options.js';

describe('parseBenchOptions', () => {
  it('uses the defaults when nothing is given', () => {
    expect(parseBenchOptions([], {})).toEqual(DEFAULT_OPTIONS);
  });

  it('reads flags before variables', () => {
    const options = parseBenchOptions(['--runs', '5', '--only', 'ingest, bare-http'], { BENCH_RUNS: '2' });
    expect(options).toMatchObject({ runs: 5, only: ['ingest', 'bare-http'] });
  });

  it('reads variables when no flag is given', () => {
    const options = parseBenchOptions([], {
      BENCH_DURATION: '2.5',
      BENCH_RATE: '200',
      DATABASE_URL: 'postgres://u:p@db:5433/x',
    });
    expect(options).toMatchObject({
      durationSeconds: 2.5,
      latencyRates: [200],
      databaseUrl: 'postgres://u:p@db:5433/x',
    });
  });

  it('reads lists of rates, the scale, the soak and the file to compare with', () => {
    expect(
      parseBenchOptions(
        ['--rate', '500, 2000', '--scale', '2', '--soak', '60', '--compare', 'results/a.json'],
        {},
      ),
    ).toMatchObject({ latencyRates: [500, 2000], scale: 2, soakSeconds: 60, compare: 'results/a.json' });
    expect(() => parseBenchOptions(['--rate', '500,fast'], {})).toThrow(/--rate/);
  });

  it('reads the capacity steps as fractions and the overload settings', () => {
    expect(
      parseBenchOptions(
        [
          '--capacity-steps',
          '0.05, 0.2',
          '--capacity-step',
          '5',
          '--capacity-rate',
          '800',
          '--overload-duration',
          '10',
        ],
        {},
      ),
    ).toMatchObject({
      capacitySteps: [0.05, 0.2],
      capacityStepSeconds: 5,
      capacityRate: 800,
      overloadSeconds: 10,
    });
    expect(() => parseBenchOptions(['--capacity-steps', '0.1,0'], {})).toThrow(/--capacity-steps/);
  });

  it('makes --quick a short single run that explicit flags still override', () => {
    expect(parseBenchOptions(['--quick', '--duration', '5'], {})).toMatchObject({
      runs: 1,
      durationSeconds: 5,
      latencyDurationSeconds: 3,
      warmupSeconds: 1,
    });
  });

  it('ignores the -- that pnpm forwards', () => {
    expect(parseBenchOptions(['--', '--runs', '1'], {})).toMatchObject({ runs: 1 });
  });

  it('lists every invalid value at once', () => {
    const parse = (): unknown =>
      parseBenchOptions(['--runs', '0', '--connections', 'many'], { REDIS_URL: 'nope' });
    expect(parse).toThrow(OptionsError);
    expect(parse).toThrow(/--runs.*\n.*--connections.*\n.*REDIS_URL/);
  });

  it('rejects unknown flags with the usage', () => {
    expect(() => parseBenchOptions(['--fast'], {})).toThrow(/Usage: pnpm bench/);
  });

  it('answers help', () => {
    expect(parseBenchOptions(['-h'], {})).toBe('help');
  });
});
