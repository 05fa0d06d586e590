import type { RoundResult } from './round-result.js';
import { problemsOf } from './round-result.js';
import { formatTable } from './table.js';

function result(overrides: Partial<RoundResult> = {}): RoundResult {
  return {
    round: 1,
    fault: 'none (baseline)',
    requests: {
      requests: 1200,
      accepted: 1000,
      duplicates: 0,
      clientErrors: 0,
      serverErrors: 200,
      connectionErrors: 0,
    },
    unacknowledged: 0,
    events: { acknowledged: 1000, lost: 0, wrongId: 0, storedWithoutAck: 0, lostSamples: [] },
    deliveries: { expected: 900, missing: 0, missingSamples: [] },
    duplicates: { duplicates: 2, bound: 5, late: 0, unexplained: 0, idChanges: 0, samples: [] },
    stuck: { stuck: 0, withoutJob: 0, dead: 0 },
    recoveryMs: 1234,
    recovery: { recovered: true, problems: [] },
    windows: [],
    ...overrides,
  };
}

describe('formatTable', () => {
  it('prints one aligned line per round and the whole-run line under a rule', () => {
    const table = formatTable([result()], result({ round: 'all', fault: 'whole run, re-checked' }));
    const lines = table.split('\n');
    expect(lines[0]).toMatch(/^round {2}fault/);
    expect(lines[2]).toMatch(/^ {4}1 {2}none \(baseline\)\s+1,200 {2}1,000 {2}200 /);
    expect(lines[2]).toContain('2 (5)');
    expect(lines[2]).toContain('1.2 s');
    expect(lines[3]).toMatch(/^-+/);
    expect(lines[4]).toMatch(/^ {2}all/);
  });

  it('marks a round that lost an event as failed, and says why', () => {
    const failed = result({
      events: { acknowledged: 1000, lost: 1, wrongId: 0, storedWithoutAck: 0, lostSamples: ['d-1'] },
    });
    expect(formatTable([failed], undefined)).toContain('FAIL');
    expect(problemsOf(failed)).toEqual(['1 acknowledged events not stored (e.g. d-1)']);
  });

  it("fails a round of another organization's poison on any 5xx to the load, and only that round", () => {
    expect(problemsOf(result({ neighbourOnly: true }))).toEqual([
      "200 5xx answers because of another organization's requests",
    ]);
    expect(problemsOf(result())).toEqual([]);
  });
});

describe("problemsOf a round of another organization's poison", () => {
  const neighbour = (sent: number, wrong: number) =>
    result({
      neighbourOnly: true,
      requests: { ...result().requests, serverErrors: 0 },
      poison: { sent, wrong, samples: wrong > 0 ? ['batch with year 0 first: expected 3 results'] : [] },
    });

  it('fails the round on a poison request not answered as documented', () => {
    expect(problemsOf(neighbour(40, 1))).toEqual([
      '1 of 40 poison requests not answered as documented: batch with year 0 first: expected 3 results',
    ]);
    expect(formatTable([neighbour(40, 1)], undefined)).toContain('FAIL');
  });

  it('fails the round when the attacker sent no poison, and passes it when every answer was documented', () => {
    expect(problemsOf(neighbour(0, 0))).toEqual(['the attacker sent no poison']);
    expect(problemsOf(neighbour(40, 0))).toEqual([]);
  });
});
