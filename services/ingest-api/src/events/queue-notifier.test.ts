import { createLogger } from '@triggers/runtime';
import { useCountingNotifier } from './counting-notifier.fixture.js';
import { QueueNotifier } from './queue-notifier.js';

describe('QueueNotifier', () => {
  const counted = useCountingNotifier();

  it('notifies at once after a quiet spell', () => {
    counted.notifier.committed();
    expect(counted.sent).toBe(1);
  });

  it('folds the commits of one interval into one trailing notification, none left unannounced', () => {
    counted.notifier.committed(); // at once
    counted.notifier.committed();
    counted.notifier.committed();
    expect(counted.sent).toBe(1);
    jest.advanceTimersByTime(19);
    expect(counted.sent).toBe(1); // a commit starting in the next interval would still carry it
    jest.advanceTimersByTime(1);
    expect(counted.sent).toBe(2); // none did: the trailing one, for the two commits after the first
    jest.advanceTimersByTime(100);
    expect(counted.sent).toBe(2); // nothing more without commits
  });

  it('sends one notification per two intervals when no commit carries them', () => {
    for (let ms = 0; ms < 100; ms += 1) {
      counted.notifier.committed();
      jest.advanceTimersByTime(1);
    }
    expect(counted.sent).toBeGreaterThanOrEqual(5);
    expect(counted.sent).toBeLessThanOrEqual(6);
  });

  it('lets the first commit after a quiet spell carry the notification, once per interval', () => {
    expect(counted.notifier.takeSlot()).toBeDefined();
    expect(counted.notifier.takeSlot()).toBeUndefined(); // the same interval
    jest.advanceTimersByTime(10);
    expect(counted.notifier.takeSlot()).toBeDefined();
    expect(counted.sent).toBe(0); // carried by the commits, none sent separately
  });

  /** Takes the slot, which must be free, for a commit about to start. */
  function slot(): number {
    const takenAt = counted.notifier.takeSlot();
    expect(takenAt).toBeDefined();
    return takenAt!;
  }

  it('lets a commit of the next interval announce the commits completed before it started', () => {
    counted.notifier.carried(slot());
    jest.advanceTimersByTime(4);
    counted.notifier.committed(); // a concurrent commit that did not carry it
    jest.advanceTimersByTime(6);
    counted.notifier.carried(slot()); // the next interval's first commit stored events
    jest.advanceTimersByTime(100);
    expect(counted.sent).toBe(0); // so no notification of its own was needed
  });

  it('still owes a commit completed after the carrying one started', () => {
    jest.advanceTimersByTime(1);
    const takenAt = slot();
    jest.advanceTimersByTime(1);
    counted.notifier.committed(); // started before the carrier's commit, completed after it started
    counted.notifier.carried(takenAt);
    jest.advanceTimersByTime(20);
    expect(counted.sent).toBe(1); // its own notification, two intervals after the carrier started
  });

  it('leaves the commits that outlast each carrier to the next one while commits overlap', () => {
    // Flushes in flight at once: each interval, a commit completes while the carrier is running.
    let takenAt = slot();
    for (let interval = 0; interval < 10; interval += 1) {
      jest.advanceTimersByTime(1);
      counted.notifier.committed(); // completed after the carrier started: not announced by it
      jest.advanceTimersByTime(1);
      counted.notifier.carried(takenAt);
      jest.advanceTimersByTime(9);
      takenAt = slot(); // the next interval's first commit, 11 ms after the last
    }
    counted.notifier.carried(takenAt);
    expect(counted.sent).toBe(0); // every commit was announced by the carrier that followed it
    counted.notifier.committed();
    jest.advanceTimersByTime(20);
    expect(counted.sent).toBe(1); // and the last one, with no carrier after it, by its own
  });

  it('still owes the earlier commits when the carrying commit stored nothing', () => {
    counted.notifier.carried(slot());
    jest.advanceTimersByTime(4);
    counted.notifier.committed();
    jest.advanceTimersByTime(6);
    slot(); // a duplicate: it stored nothing, so it notified nothing and reports nothing
    jest.advanceTimersByTime(10);
    expect(counted.sent).toBe(1);
  });

  it('announces a commit without a carrier by a notification of its own, two intervals after the last', () => {
    counted.notifier.carried(slot());
    jest.advanceTimersByTime(4);
    counted.notifier.committed(); // did not carry it, and no commit follows
    jest.advanceTimersByTime(15);
    expect(counted.sent).toBe(0);
    jest.advanceTimersByTime(1);
    expect(counted.sent).toBe(1);
    expect(counted.notifier.takeSlot()).toBeUndefined(); // that one opened a new interval
    jest.advanceTimersByTime(10);
    slot();
  });

  it('keeps going when a notification fails', async () => {
    let calls = 0;
    const failing = new QueueNotifier(
      () => {
        calls += 1;
        return Promise.reject(new Error('connection lost'));
      },
      0,
      createLogger({ service: 'test', level: 'silent' }),
    );
    failing.committed();
    failing.committed();
    await Promise.resolve();
    expect(calls).toBe(2);
  });
});
