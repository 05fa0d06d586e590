import { poisonAnswerProblem, wrongPoisonAnswers } from './poison-answers.js';
import type { PoisonExpectation } from './poison-events.js';

const batch: PoisonExpectation = {
  status: 207,
  items: 3,
  rejected: [{ index: 1, pointer: '/events/1/occurred_at' }],
};
const accepted = (index: number) => ({ index, status: 'accepted', id: `e${index}` });
const refused = (index: number, pointer: string) => ({ index, status: 'rejected', errors: [{ pointer }] });
const answer207 = (results: unknown[]) => ({
  status: 207,
  contentType: 'application/json',
  body: { results },
});

describe('poisonAnswerProblem', () => {
  it('passes a batch whose poison item is refused at its pointer and whose good items are taken', () => {
    const results = [accepted(0), refused(1, '/events/1/occurred_at'), accepted(2)];
    expect(poisonAnswerProblem(batch, answer207(results))).toBeUndefined();
  });

  it('fails a batch answered with fewer results than items sent, or none', () => {
    const short = [accepted(0), refused(1, '/events/1/occurred_at')];
    expect(poisonAnswerProblem(batch, answer207(short))).toMatch(/expected 3 results/);
    expect(poisonAnswerProblem(batch, answer207([]))).toMatch(/expected 3 results/);
    expect(poisonAnswerProblem(batch, { ...answer207([]), body: {} })).toMatch(/expected 3 results/);
  });

  it('fails a batch that takes its poison item, refuses it elsewhere, or refuses a good item', () => {
    const taken = [accepted(0), accepted(1), accepted(2)];
    expect(poisonAnswerProblem(batch, answer207(taken))).toMatch(/item 1 should be refused/);
    const elsewhere = [accepted(0), refused(1, '/events/1/type'), accepted(2)];
    expect(poisonAnswerProblem(batch, answer207(elsewhere))).toMatch(/item 1 should be refused/);
    const goodRefused = [accepted(0), refused(1, '/events/1/occurred_at'), refused(2, '/events/2')];
    expect(poisonAnswerProblem(batch, answer207(goodRefused))).toMatch(/item 2 should be accepted/);
  });

  it('fails a single event answered 202 without the id of the event taken', () => {
    const taken = { status: 202, contentType: 'application/json' };
    expect(poisonAnswerProblem({ status: 202 }, { ...taken, body: { id: 'e1' } })).toBeUndefined();
    expect(poisonAnswerProblem({ status: 202 }, { ...taken, body: {} })).toMatch(/event id/);
  });

  it('fails a poison event answered with a timeout instead of its problem', () => {
    const expected: PoisonExpectation = { status: 422, code: 'validation_failed', pointer: '/type' };
    const lines = wrongPoisonAnswers([
      {
        name: 'type with a NUL',
        expect: expected,
        answer: { status: 'timeout', contentType: '', body: undefined, ms: 5000 },
      },
    ]);
    expect(lines).toEqual([expect.stringMatching(/^type with a NUL: expected 422, got timeout/)]);
  });
});
