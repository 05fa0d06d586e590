import { createLogger } from '@triggers/runtime';
import { QueueNotifier } from './queue-notifier.js';

/**
 * For unit tests: before each test, a fresh QueueNotifier (10 ms interval) on Jest's fake timers,
 * whose notifications are only counted in `sent`; after it, both are put away.
 */
export function useCountingNotifier(): { readonly notifier: QueueNotifier; readonly sent: number } {
  const state = { notifier: undefined as unknown as QueueNotifier, sent: 0 };
  beforeEach(() => {
    jest.useFakeTimers();
    state.sent = 0;
    state.notifier = new QueueNotifier(
      () => {
        state.sent += 1;
        return Promise.resolve();
      },
      10,
      createLogger({ service: 'test', level: 'silent' }),
    );
  });
  afterEach(() => {
    state.notifier.close();
    jest.useRealTimers();
  });
  return state;
}
