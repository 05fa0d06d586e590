import type { PoisonAnswer } from '@triggers/testing';
import { checkPoisonAnswered } from './poison-answered.js';

const answer = (status: number | 'timeout'): PoisonAnswer => ({
  name: 'type with a NUL',
  expect: { status: 422, code: 'validation_failed', pointer: '/type' },
  answer: {
    status,
    contentType: 'application/problem+json',
    body: { code: 'validation_failed', errors: [{ pointer: '/type' }] },
    ms: 1,
  },
});

describe('checkPoisonAnswered', () => {
  it('counts every wrong answer, a timeout included, and samples each distinct one once', () => {
    const check = checkPoisonAnswered([answer(422), answer(500), answer(500), answer('timeout')]);
    expect(check).toMatchObject({ sent: 4, wrong: 3 });
    expect(check.samples).toHaveLength(2);
  });
});
