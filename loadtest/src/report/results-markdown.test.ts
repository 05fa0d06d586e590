import { DEFAULT_OPTIONS } from '../options/bench-options.js';
import { capacityRun, step } from './capacity-runs.fixture.js';
import type { ResultsFile } from './results-file.js';
import { renderResultsMarkdown } from './results-markdown.js';

const spread = (median: number) => ({ median, min: median - 1, max: median + 1, values: [median] });

const minimal = (runs: ResultsFile['runs']): ResultsFile => ({
  startedAt: '2026-11-28T10:00:00.000Z',
  finishedAt: '2026-11-28T10:01:00.000Z',
  ok: true,
  machine: {
    description: 'x',
    cpus: 2,
    totalMemoryBytes: 1,
    node: 'v20',
    busyBeforeStart: 0,
    loadAverage1mBeforeStart: 0,
  },
  options: DEFAULT_OPTIONS,
  summary: [],
  checks: [],
  runs,
});

describe('renderResultsMarkdown', () => {
  it('embeds the latency chart drawn beside it, with a caption naming the command', () => {
    const page = renderResultsMarkdown(
      minimal([capacityRun(1, 2000, [step(1000, 20), step(2000, 240), step(2500, 3000)])]),
      'loadtest/results/2026-11-28T100000Z.json',
    );
    expect(page).toContain('![End-to-end latency against offered event rate](capacity-latency.svg)');
    expect(page).toMatch(
      /\n\*p50, p95 and p99 of the `capacity` steps of run 1; drawn by `pnpm bench:report` from 2026-11-28T100000Z\.json\.\*\n/,
    );
  });

  it('links no chart when no capacity run left a curve', () => {
    const page = renderResultsMarkdown(minimal([capacityRun(1, 2000, [])]), 'results/x.json');
    expect(page).not.toContain('capacity-latency.svg');
    expect(page).not.toContain('## Latency against event rate');
  });

  it('describes the machine and renders targets, figures by section, CPU and checks', () => {
    const results: ResultsFile = {
      startedAt: '2026-11-28T10:00:00.000Z',
      finishedAt: '2026-11-28T10:08:30.000Z',
      ok: true,
      machine: {
        description: '2 × AMD EPYC, 24 GiB, Node v20.20.2',
        cpus: 2,
        totalMemoryBytes: 1,
        node: 'v20.20.2',
        busyBeforeStart: 0.02,
        busyBetweenScenarios: [0.01, 0.4, 0.5],
        loadAverage1mBeforeStart: 0.1,
      },
      options: DEFAULT_OPTIONS,
      summary: [
        {
          id: 'ingest.max-rate',
          scenario: 'ingest',
          section: 'Ingest: POST /api/events',
          subject: 'ingest API',
          figure: 'max rate',
          unit: 'req/s',
          better: 'higher',
          spread: spread(2900),
          ratios: [
            { ceilingId: 'bare-express.max-rate', ceilingSubject: 'bare express 5', ratio: spread(0.81) },
          ],
          reference: { value: 150, text: '~150 req/s' },
        },
      ],
      checks: [
        {
          run: 1,
          scenario: 'ingest',
          name: 'every 202 has its row',
          ok: true,
          severity: 'error',
          detail: '0 missing',
        },
      ],
      targets: [{ target: 'durable ingest ≥ 75% of bare express', ok: true, detail: '81%' }],
      runs: [
        {
          scenario: 'processing',
          run: 1,
          seconds: 20,
          outcome: {
            measurements: [],
            checks: [],
            details: {
              cpu: {
                seconds: 10,
                cores: 2,
                machine: 1.5,
                bench: 0.05,
                processes: { processor: 0.4 },
                rest: 1.05,
              },
            },
          },
        },
      ],
    };
    const page = renderResultsMarkdown(results, 'loadtest/results/2026-11-28T100000Z.json');
    expect(page).toContain('Measured 2026-11-28 10:00 UTC');
    expect(page).toContain('8 min 30 s');
    // The median of the samples between scenarios says other work ran.
    expect(page).toContain('40% between scenarios');
    expect(page).toContain('**Other work was running');
    expect(page).toContain('| durable ingest ≥ 75% of bare express | met | 81% |');
    expect(page).toContain('| **Ingest: POST /api/events** | | | | | |');
    expect(page).toContain(
      '| ingest API | max rate | 2,900 req/s | 2,899–2,901 | 81% of bare express 5 | ~150 req/s (ours 19× higher) |',
    );
    expect(page).toContain('| processing | 1.50 | processor 0.40 | 0.05 | 1.05 |');
    expect(page).toContain('| ok | every 202 has its row | run 1: 0 missing |');
    expect(page).toContain('pnpm bench --compare results/2026-11-28T100000Z.json');
  });
});
