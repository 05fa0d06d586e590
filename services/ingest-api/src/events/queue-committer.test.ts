import type { QueueInsertRow } from '@triggers/db';
import { claimInserted, writeAndAnnounce, type InsertRows } from './queue-committer.js';
import { useCountingNotifier } from './counting-notifier.fixture.js';

const row = (id: string) => ({ id }) as QueueInsertRow;

describe('claimInserted', () => {
  it('gives each inserted id to the first submission that claims it', () => {
    const inserted = new Set(['a', 'b']);
    expect(claimInserted(inserted, [row('a')])).toEqual(new Set(['a']));
    expect(claimInserted(inserted, [row('a'), row('b')])).toEqual(new Set(['b']));
    expect(claimInserted(inserted, [row('b')])).toEqual(new Set());
  });

  it('gives a duplicate within one submission to its first occurrence only', () => {
    const inserted = new Set(['x']);
    const own = claimInserted(inserted, [row('x'), row('x')]);
    expect(own).toEqual(new Set(['x']));
  });
});

describe('writeAndAnnounce', () => {
  const counted = useCountingNotifier();
  const notifies: boolean[] = [];
  /** An INSERT that reports `stored` as inserted (or fails), recording whether it carried the NOTIFY. */
  const insert =
    (stored: string[] | Error): InsertRows =>
    (_rows, notify) => {
      notifies.push(notify);
      return stored instanceof Error ? Promise.reject(stored) : Promise.resolve(new Set(stored));
    };
  beforeEach(() => {
    notifies.length = 0;
  });

  /** A commit that stored rows without carrying the notification, which is then owed. */
  async function owe(): Promise<void> {
    await writeAndAnnounce(insert(['a']), counted.notifier, [row('a')]);
    jest.advanceTimersByTime(4);
    await writeAndAnnounce(insert(['b']), counted.notifier, [row('b')]);
    expect(notifies).toEqual([true, false]);
    jest.advanceTimersByTime(6);
  }

  it('lets the next interval’s first INSERT that stores rows announce the commits owed', async () => {
    await owe();
    await writeAndAnnounce(insert(['c']), counted.notifier, [row('c')]);
    expect(notifies[2]).toBe(true);
    jest.advanceTimersByTime(100);
    expect(counted.sent).toBe(0);
  });

  it('keeps them owed when that INSERT stored nothing (duplicates only)', async () => {
    await owe();
    await writeAndAnnounce(insert([]), counted.notifier, [row('a')]);
    expect(notifies[2]).toBe(true); // asked, but Postgres notifies only when rows were inserted
    jest.advanceTimersByTime(10);
    expect(counted.sent).toBe(1);
  });

  it('keeps them owed when that INSERT failed, and passes the failure on', async () => {
    await owe();
    await expect(
      writeAndAnnounce(insert(new Error('connection lost')), counted.notifier, [row('c')]),
    ).rejects.toThrow('connection lost');
    jest.advanceTimersByTime(10);
    expect(counted.sent).toBe(1);
  });
});
