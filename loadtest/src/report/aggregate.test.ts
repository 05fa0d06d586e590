import type { Measurement } from '../scenarios/scenario.js';
import { collectChecks, spreadOf, summarize, type ScenarioRun } from './aggregate.js';

const rate = (id: string, value: number, ceilings?: string[]): Measurement => ({
  id,
  subject: id.split('.')[0]!,
  figure: 'max rate',
  unit: 'req/s',
  value,
  better: 'higher',
  ...(ceilings ? { ceilings } : {}),
});

const run = (number: number, scenario: string, measurements: Measurement[]): ScenarioRun => ({
  scenario,
  run: number,
  seconds: 1,
  outcome: { measurements, checks: [], details: {} },
});

describe('spreadOf', () => {
  it('takes the middle value of an odd count and the mean of the middle two of an even one', () => {
    expect(spreadOf([3, 1, 2])).toMatchObject({ median: 2, min: 1, max: 3 });
    expect(spreadOf([4, 1, 2, 3])).toMatchObject({ median: 2.5, min: 1, max: 4 });
  });

  it('leaves out runs that measured nothing', () => {
    expect(spreadOf([NaN, 5])).toMatchObject({ median: 5, min: 5, max: 5 });
  });
});

describe('summarize', () => {
  it('computes each ratio within its run before taking the median', () => {
    const rows = summarize([
      run(1, 'bare', [rate('bare.max-rate', 1000)]),
      run(1, 'ingest', [rate('ingest.max-rate', 800, ['bare.max-rate'])]),
      run(2, 'bare', [rate('bare.max-rate', 2000)]),
      run(2, 'ingest', [rate('ingest.max-rate', 1000, ['bare.max-rate'])]),
      run(3, 'bare', [rate('bare.max-rate', 1000)]),
      run(3, 'ingest', [rate('ingest.max-rate', 700, ['bare.max-rate'])]),
    ]);
    const ingest = rows.find((row) => row.id === 'ingest.max-rate')!;
    expect(ingest.spread).toMatchObject({ median: 800, min: 700, max: 1000 });
    expect(ingest.ratios).toEqual([
      {
        ceilingId: 'bare.max-rate',
        ceilingSubject: 'bare',
        ratio: expect.objectContaining({ median: 0.7, min: 0.5, max: 0.8 }),
      },
    ]);
  });

  it('omits ratios to ceilings that did not run', () => {
    const rows = summarize([run(1, 'ingest', [rate('ingest.max-rate', 800, ['bare.max-rate'])])]);
    expect(rows[0]?.ratios).toEqual([]);
  });
});

describe('collectChecks', () => {
  it('turns a scenario that threw into a failed error check', () => {
    const checks = collectChecks([{ scenario: 'ingest', run: 2, seconds: 1, error: 'boom' }]);
    expect(checks).toEqual([
      { scenario: 'ingest', run: 2, name: 'ingest completed', ok: false, severity: 'error', detail: 'boom' },
    ]);
  });
});
