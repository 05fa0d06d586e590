import { claimInserted, writeAndAnnounce } from './queue-committer.js';
import { useCountingNotifier } from './counting-notifier.fixture.js';

const row = (id: string) => ({ id });

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
    (stored: string[] | Error) =>
    (notify: boolean): Promise<Set<string>> => {
      notifies.push(notify);
      return stored instanceof Error ? Promise.reject(stored) : Promise.resolve(new Set(stored));
    };
  const storedAny = (inserted: Set<string>) => inserted.size > 0;
  beforeEach(() => {
    notifies.length = 0;
  });

  /** A commit that stored rows without carrying the notification, which is then owed. */
  async function owe(): Promise<void> {
    await writeAndAnnounce(counted.notifier, insert(['a']), storedAny);
    jest.advanceTimersByTime(4);
    await writeAndAnnounce(counted.notifier, insert(['b']), storedAny);
    expect(notifies).toEqual([true, false]);
    jest.advanceTimersByTime(6);
  }

  it('lets the next interval’s first INSERT that stores rows announce the commits owed', async () => {
    await owe();
    await writeAndAnnounce(counted.notifier, insert(['c']), storedAny);
    expect(notifies[2]).toBe(true);
    jest.advanceTimersByTime(100);
    expect(counted.sent).toBe(0);
  });

  it('keeps them owed when that INSERT stored nothing (duplicates only)', async () => {
    await owe();
    await writeAndAnnounce(counted.notifier, insert([]), storedAny);
    expect(notifies[2]).toBe(true); // asked, but Postgres notifies only when rows were inserted
    jest.advanceTimersByTime(10);
    expect(counted.sent).toBe(1);
  });

  it('keeps them owed when that INSERT failed, and passes the failure on', async () => {
    await owe();
    await expect(
      writeAndAnnounce(counted.notifier, insert(new Error('connection lost')), storedAny),
    ).rejects.toThrow('connection lost');
    jest.advanceTimersByTime(10);
    expect(counted.sent).toBe(1);
  });
});
