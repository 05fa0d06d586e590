import type { QueueInsertRow } from '@triggers/db';
import {
  GroupCommitter,
  RowsRefusedError,
  StorageUnavailableError,
  type InsertRows,
} from './group-commit.js';

const row = (id: string): QueueInsertRow => ({
  id,
  organizationId: 'org',
  type: 't',
  payload: {},
  dedupId: null,
  occurredAt: new Date(0),
  receivedAt: new Date(0),
});

function recordingInsert(
  behaviour: (rows: QueueInsertRow[]) => Promise<Set<string>> = async (rows) =>
    new Set(rows.map((r) => r.id)),
) {
  const calls: string[][] = [];
  const insert: InsertRows = (rows) => {
    calls.push(rows.map((r) => r.id));
    return behaviour(rows);
  };
  return { calls, insert };
}

const options = { maxRows: 3, maxWaitMs: 5, maxConcurrentFlushes: 2, timeoutMs: 1000 };

describe('GroupCommitter', () => {
  it('puts requests that arrive together into one INSERT', async () => {
    const { calls, insert } = recordingInsert();
    const committer = new GroupCommitter(insert, { ...options, maxRows: 100 });
    const results = await Promise.all(['a', 'b', 'c'].map((id) => committer.submit([row(id)])));
    expect(calls).toEqual([['a', 'b', 'c']]);
    expect(results).toEqual([new Set(['a']), new Set(['b']), new Set(['c'])]);
  });

  it('flushes at once when maxRows are waiting, without waiting for the timer', async () => {
    const { calls, insert } = recordingInsert();
    const committer = new GroupCommitter(insert, { ...options, maxWaitMs: 60_000 });
    await Promise.all(['a', 'b', 'c'].map((id) => committer.submit([row(id)])));
    expect(calls).toEqual([['a', 'b', 'c']]);
  });

  it('never splits one submission, even past maxRows', async () => {
    const { calls, insert } = recordingInsert();
    const committer = new GroupCommitter(insert, options);
    await committer.submit(['a', 'b', 'c', 'd', 'e'].map(row));
    expect(calls).toEqual([['a', 'b', 'c', 'd', 'e']]);
  });

  it('tells only the first of two submissions with the same id that it was inserted', async () => {
    const { insert } = recordingInsert();
    const committer = new GroupCommitter(insert, { ...options, maxRows: 100 });
    const [first, second] = await Promise.all([committer.submit([row('x')]), committer.submit([row('x')])]);
    expect(first).toEqual(new Set(['x']));
    expect(second).toEqual(new Set());
  });

  it('gathers rows arriving while every connection is busy into the next batch', async () => {
    let release: () => void = () => {};
    const gate = new Promise<void>((r) => (release = r));
    const { calls, insert } = recordingInsert(async (rows) => {
      await gate;
      return new Set(rows.map((r) => r.id));
    });
    const committer = new GroupCommitter(insert, {
      ...options,
      maxRows: 100,
      maxWaitMs: 0,
      maxConcurrentFlushes: 1,
    });
    const first = committer.submit([row('a')]);
    await new Promise((r) => setTimeout(r, 5));
    const later = ['b', 'c', 'd'].map((id) => committer.submit([row(id)]));
    await new Promise((r) => setTimeout(r, 5));
    release();
    await Promise.all([first, ...later]);
    expect(calls).toEqual([['a'], ['b', 'c', 'd']]);
  });

  it('rejects every request of a failed INSERT as unavailable', async () => {
    const { insert } = recordingInsert(async () => {
      throw Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    });
    const committer = new GroupCommitter(insert, { ...options, maxRows: 100 });
    const results = await Promise.allSettled([committer.submit([row('a')]), committer.submit([row('b')])]);
    for (const r of results)
      expect(r).toMatchObject({ status: 'rejected', reason: expect.any(StorageUnavailableError) });
  });

  it('answers unavailable when the INSERT takes longer than the timeout', async () => {
    const { insert } = recordingInsert(() => new Promise(() => {}));
    const committer = new GroupCommitter(insert, { ...options, timeoutMs: 20 });
    await expect(committer.submit([row('a')])).rejects.toBeInstanceOf(StorageUnavailableError);
  });

  it('retries the requests of a batch one by one when Postgres refuses a row, so only the bad one fails', async () => {
    const { calls, insert } = recordingInsert(async (rows) => {
      if (rows.some((r) => r.id === 'bad'))
        throw Object.assign(new Error('invalid input'), { code: '22P02' });
      return new Set(rows.map((r) => r.id));
    });
    const committer = new GroupCommitter(insert, { ...options, maxRows: 100 });
    const results = await Promise.allSettled(['a', 'bad', 'c'].map((id) => committer.submit([row(id)])));
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((results[1] as PromiseRejectedResult).reason).toBeInstanceOf(RowsRefusedError);
    expect(calls).toEqual([['a', 'bad', 'c'], ['a'], ['bad'], ['c']]);
  });

  it('drains: resolves once pending and in-flight INSERTs are done', async () => {
    const { calls, insert } = recordingInsert();
    const committer = new GroupCommitter(insert, { ...options, maxRows: 100, maxWaitMs: 60_000 });
    const pending = committer.submit([row('a')]);
    await committer.drain();
    await expect(pending).resolves.toEqual(new Set(['a']));
    expect(calls).toEqual([['a']]);
  });
});
