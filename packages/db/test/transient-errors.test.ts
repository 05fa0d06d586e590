import { isTransientDatabaseError, retryTransient } from '../src/index.js';

function failure(code: string): Error {
  return Object.assign(new Error(code), { code });
}

describe('isTransientDatabaseError', () => {
  it.each([
    'CONNECTION_CLOSED',
    'CONNECT_TIMEOUT',
    'ECONNREFUSED',
    '40P01',
    '40001',
    '57P01',
    '57P03',
    '08006',
  ])('%s may succeed when run again', (code) => expect(isTransientDatabaseError(failure(code))).toBe(true));

  it.each(['23505', '22P02', '42P01', 'CONNECTION_ENDED', 'UNDEFINED_VALUE'])('%s will not', (code) =>
    expect(isTransientDatabaseError(failure(code))).toBe(false),
  );

  it('is false for anything without a code', () => {
    expect(isTransientDatabaseError(new Error('x'))).toBe(false);
    expect(isTransientDatabaseError(undefined)).toBe(false);
  });
});

describe('retryTransient', () => {
  const fast = { retries: 3, minTimeoutMs: 1 };

  it('runs the statement again after transient failures', async () => {
    let runs = 0;
    const result = await retryTransient(async () => {
      runs += 1;
      if (runs < 3) throw failure('40P01');
      return 'done';
    }, fast);
    expect({ result, runs }).toEqual({ result: 'done', runs: 3 });
  });

  it('throws any other error at once', async () => {
    let runs = 0;
    await expect(
      retryTransient(async () => {
        runs += 1;
        throw failure('23505');
      }, fast),
    ).rejects.toMatchObject({ code: '23505' });
    expect(runs).toBe(1);
  });

  it('gives up after the last retry with the last error', async () => {
    let runs = 0;
    await expect(
      retryTransient(async () => {
        runs += 1;
        throw failure('CONNECTION_CLOSED');
      }, fast),
    ).rejects.toMatchObject({ code: 'CONNECTION_CLOSED' });
    expect(runs).toBe(4);
  });
});
