import { createLogger } from '@triggers/runtime';
import { QueueNotifier } from './queue-notifier.js';

describe('QueueNotifier', () => {
  const log = createLogger({ service: 'test', level: 'silent' });
  let sent: number;
  let notifier: QueueNotifier;
  beforeEach(() => {
    jest.useFakeTimers();
    sent = 0;
    notifier = new QueueNotifier(
      () => {
        sent += 1;
        return Promise.resolve();
      },
      10,
      log,
    );
  });
  afterEach(() => {
    notifier.close();
    jest.useRealTimers();
  });

  it('notifies at once after a quiet spell', () => {
    notifier.committed();
    expect(sent).toBe(1);
  });

  it('folds the commits of one interval into one trailing notification, none left unannounced', () => {
    notifier.committed(); // at once
    notifier.committed();
    notifier.committed();
    expect(sent).toBe(1);
    jest.advanceTimersByTime(10);
    expect(sent).toBe(2); // the trailing one, for the two commits after the first
    jest.advanceTimersByTime(100);
    expect(sent).toBe(2); // nothing more without commits
  });

  it('notifies at most once per interval under a steady stream of commits', () => {
    for (let ms = 0; ms < 100; ms += 1) {
      notifier.committed();
      jest.advanceTimersByTime(1);
    }
    expect(sent).toBeGreaterThanOrEqual(9);
    expect(sent).toBeLessThanOrEqual(11);
  });

  it('lets the first commit after a quiet spell carry the notification, once per interval', () => {
    expect(notifier.takeSlot()).toBe(true);
    expect(notifier.takeSlot()).toBe(false); // the same interval
    jest.advanceTimersByTime(10);
    expect(notifier.takeSlot()).toBe(true);
    expect(sent).toBe(0); // carried by the commits, none sent separately
  });

  it('announces a commit made without the slot by a trailing notification at the end of the interval', () => {
    expect(notifier.takeSlot()).toBe(true);
    jest.advanceTimersByTime(4);
    notifier.committed(); // a concurrent commit that did not carry it
    expect(sent).toBe(0);
    jest.advanceTimersByTime(6);
    expect(sent).toBe(1);
    expect(notifier.takeSlot()).toBe(false); // that trailing one opened a new interval
    jest.advanceTimersByTime(10);
    expect(notifier.takeSlot()).toBe(true);
    notifier.committed();
    expect(notifier.takeSlot()).toBe(false);
    jest.advanceTimersByTime(10);
    expect(sent).toBe(2);
  });

  it('keeps going when a notification fails', async () => {
    let calls = 0;
    const failing = new QueueNotifier(
      () => {
        calls += 1;
        return Promise.reject(new Error('connection lost'));
      },
      0,
      log,
    );
    failing.committed();
    failing.committed();
    await Promise.resolve();
    expect(calls).toBe(2);
  });
});
