import { GroupCommitter, type WriteRows } from './group-commit.js';

function recordingWrite(behaviour: (rows: string[]) => Promise<string[]> = async (rows) => rows) {
  const calls: string[][] = [];
  const write: WriteRows<string, string[]> = (rows) => {
    calls.push([...rows]);
    return behaviour(rows);
  };
  return { calls, write };
}

const options = { maxRows: 3, maxWaitMs: 5, maxConcurrentFlushes: 2, timeoutMs: 1000 };

describe('GroupCommitter', () => {
  it('puts submissions that arrive together into one write, and gives each the write’s result', async () => {
    const { calls, write } = recordingWrite();
    const committer = new GroupCommitter(write, { ...options, maxRows: 100 });
    const results = await Promise.all(['a', 'b', 'c'].map((id) => committer.submit([id])));
    expect(calls).toEqual([['a', 'b', 'c']]);
    expect(results).toEqual([
      ['a', 'b', 'c'],
      ['a', 'b', 'c'],
      ['a', 'b', 'c'],
    ]);
  });

  it('flushes at once when maxRows are waiting, without waiting for the timer', async () => {
    const { calls, write } = recordingWrite();
    const committer = new GroupCommitter(write, { ...options, maxWaitMs: 60_000 });
    await Promise.all(['a', 'b', 'c'].map((id) => committer.submit([id])));
    expect(calls).toEqual([['a', 'b', 'c']]);
  });

  it('never splits one submission, even past maxRows', async () => {
    const { calls, write } = recordingWrite();
    const committer = new GroupCommitter(write, options);
    await committer.submit(['a', 'b', 'c', 'd', 'e']);
    expect(calls).toEqual([['a', 'b', 'c', 'd', 'e']]);
  });

  it('gathers rows arriving while every connection is busy into the next batch', async () => {
    let release: () => void = () => {};
    const gate = new Promise<void>((r) => (release = r));
    const { calls, write } = recordingWrite(async (rows) => {
      await gate;
      return rows;
    });
    const committer = new GroupCommitter(write, {
      ...options,
      maxRows: 100,
      maxWaitMs: 0,
      maxConcurrentFlushes: 1,
    });
    const first = committer.submit(['a']);
    await new Promise((r) => setTimeout(r, 5));
    const later = ['b', 'c', 'd'].map((id) => committer.submit([id]));
    await new Promise((r) => setTimeout(r, 5));
    release();
    await Promise.all([first, ...later]);
    expect(calls).toEqual([['a'], ['b', 'c', 'd']]);
  });

  it('with no wait, writes what arrived in one turn of the event loop together, without a timer', async () => {
    // Timers frozen: a flush waiting on setTimeout(0) would never happen, and this test time out.
    jest.useFakeTimers({ doNotFake: ['setImmediate', 'nextTick', 'queueMicrotask'] });
    try {
      const { calls, write } = recordingWrite(async (rows) => rows);
      const committer = new GroupCommitter(write, { ...options, maxRows: 100, maxWaitMs: 0 });
      await Promise.all(['a', 'b', 'c'].map((id) => committer.submit([id])));
      expect(calls).toEqual([['a', 'b', 'c']]);
    } finally {
      jest.useRealTimers();
    }
  }, 5_000);

  it('rejects every submission of a failed write, with the error toError makes', async () => {
    const { write } = recordingWrite(async () => {
      throw Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    });
    class Unavailable extends Error {}
    const committer = new GroupCommitter(
      write,
      { ...options, maxRows: 100 },
      { toError: () => new Unavailable() },
    );
    const results = await Promise.allSettled([committer.submit(['a']), committer.submit(['b'])]);
    for (const r of results) expect(r).toMatchObject({ status: 'rejected', reason: expect.any(Unavailable) });
  });

  it('gives up waiting when the write takes longer than the timeout', async () => {
    const { write } = recordingWrite(() => new Promise(() => {}));
    const committer = new GroupCommitter(write, { ...options, timeoutMs: 20 });
    await expect(committer.submit(['a'])).rejects.toThrow(/write took longer than 20 ms/);
  });

  describe('with an isolating write', () => {
    const refused = Object.assign(new Error('invalid input'), { code: '22P02' });
    /** The shared write refuses any batch holding 'bad'; the isolating write answers per group, as one transaction. */
    function isolatingCommitter(maxRows = 100) {
      const { calls, write } = recordingWrite(async (rows) => {
        if (rows.includes('bad')) throw refused;
        return rows;
      });
      const isolatedWrites: string[][][] = [];
      const committer = new GroupCommitter(
        write,
        { ...options, maxRows },
        {
          isolate: {
            refuses: (err) => err === refused,
            write: async (groups) => {
              isolatedWrites.push(groups.map((g) => [...g]));
              return groups.map((g) =>
                g.includes('bad')
                  ? { status: 'rejected', reason: refused }
                  : { status: 'fulfilled', value: [...g] },
              );
            },
          },
          toError: (err) => new Error(`refused: ${(err as Error).message}`),
        },
      );
      return { calls, isolatedWrites, committer };
    }

    it('fails only the refused submission and answers the others from one more write, never one write each', async () => {
      const { calls, isolatedWrites, committer } = isolatingCommitter();
      const ids = Array.from({ length: 20 }, (_, i) => (i === 7 ? 'bad' : `ok${i}`));
      const results = await Promise.allSettled(ids.map((id) => committer.submit([id])));
      expect(results.map((r) => r.status)).toEqual(
        ids.map((id) => (id === 'bad' ? 'rejected' : 'fulfilled')),
      );
      expect(results[7]).toMatchObject({ reason: { message: 'refused: invalid input' } });
      expect(results[0]).toEqual({ status: 'fulfilled', value: ['ok0'] });
      // Two writes in all: the shared one that was refused, and the isolating one.
      expect(calls).toEqual([ids]);
      expect(isolatedWrites).toEqual([ids.map((id) => [id])]);
    });

    it('does not isolate an error that is not a refusal: every submission fails with it', async () => {
      const down = Object.assign(new Error('connection lost'), { code: 'ECONNRESET' });
      const { write } = recordingWrite(async () => {
        throw down;
      });
      const isolate = { refuses: (err: unknown) => err !== down, write: jest.fn() };
      const committer = new GroupCommitter(write, { ...options, maxRows: 100 }, { isolate });
      const results = await Promise.allSettled([committer.submit(['a']), committer.submit(['b'])]);
      expect(results).toEqual([
        { status: 'rejected', reason: down },
        { status: 'rejected', reason: down },
      ]);
      expect(isolate.write).not.toHaveBeenCalled();
    });

    it('fails every submission when the isolating write itself cannot happen', async () => {
      const { write } = recordingWrite(async () => {
        throw refused;
      });
      const down = new Error('connection lost');
      const committer = new GroupCommitter(
        write,
        { ...options, maxRows: 100 },
        { isolate: { refuses: () => true, write: () => Promise.reject(down) } },
      );
      const results = await Promise.allSettled([committer.submit(['a']), committer.submit(['b'])]);
      expect(results).toEqual([
        { status: 'rejected', reason: down },
        { status: 'rejected', reason: down },
      ]);
    });
  });

  it('drains: resolves once pending and in-flight writes are done', async () => {
    const { calls, write } = recordingWrite();
    const committer = new GroupCommitter(write, { ...options, maxRows: 100, maxWaitMs: 60_000 });
    const pending = committer.submit(['a']);
    await committer.drain();
    await expect(pending).resolves.toEqual(['a']);
    expect(calls).toEqual([['a']]);
  });
});
