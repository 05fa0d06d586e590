import { EndpointSlots } from './endpoint-slots.js';

const settled = async <T>(promise: Promise<T>): Promise<T | 'pending'> =>
  Promise.race([promise, new Promise<'pending'>((resolve) => setImmediate(() => resolve('pending')))]);

describe('EndpointSlots', () => {
  beforeEach(() => jest.useFakeTimers({ doNotFake: ['setImmediate'] }));
  afterEach(() => jest.useRealTimers());

  it('grants up to the limit per endpoint, each endpoint on its own', async () => {
    const slots = new EndpointSlots(2, 0);
    expect(await slots.acquire('a')).toBe(true);
    expect(await slots.acquire('a')).toBe(true);
    expect(await slots.acquire('a')).toBe(false);
    expect(await slots.acquire('b')).toBe(true);
    expect(slots.inFlight('a')).toBe(2);
  });

  it('hands a freed slot to the longest-waiting job, in arrival order', async () => {
    const slots = new EndpointSlots(2, 1000);
    await slots.acquire('a');
    await slots.acquire('a');
    const first = slots.acquire('a');
    const second = slots.acquire('a');
    expect(await settled(first)).toBe('pending');
    slots.release('a');
    expect(await settled(first)).toBe(true);
    expect(await settled(second)).toBe('pending');
    slots.release('a');
    expect(await settled(second)).toBe(true);
    expect(slots.inFlight('a')).toBe(2);
    slots.release('a');
    slots.release('a');
    expect(slots.inFlight('a')).toBe(0);
  });

  it('keeps waiting while the line moves, past the wait', async () => {
    let clock = 0;
    const slots = new EndpointSlots(2, 250, () => clock);
    await slots.acquire('a');
    await slots.acquire('a');
    const first = slots.acquire('a');
    const second = slots.acquire('a');
    for (const waiter of [first, second]) {
      clock += 200;
      jest.advanceTimersByTime(200);
      slots.release('a');
      expect(await settled(waiter)).toBe(true);
    }
    const third = slots.acquire('a');
    clock += 249;
    jest.advanceTimersByTime(249);
    expect(await settled(third)).toBe('pending');
    clock += 1;
    jest.advanceTimersByTime(1);
    expect(await settled(third)).toBe(false);
  });

  it('gives up when the endpoint has freed no slot for the wait, and the slot freed later is not lost', async () => {
    const slots = new EndpointSlots(1, 250);
    await slots.acquire('a');
    const waiting = slots.acquire('a');
    jest.advanceTimersByTime(249);
    expect(await settled(waiting)).toBe('pending');
    jest.advanceTimersByTime(1);
    expect(await settled(waiting)).toBe(false);
    slots.release('a');
    expect(slots.inFlight('a')).toBe(0);
    expect(await slots.acquire('a')).toBe(true);
  });

  it('lets four waiters per slot wait for an endpoint not yet seen to free a slot', async () => {
    const slots = new EndpointSlots(2, 1000);
    await slots.acquire('a');
    await slots.acquire('a');
    const waiters = Array.from({ length: 8 }, () => slots.acquire('a'));
    expect(await slots.acquire('a')).toBe(false);
    for (let i = 0; i < 8; i++) slots.release('a');
    expect(await Promise.all(waiters)).toEqual(Array(8).fill(true));
  });

  describe('admits waiters by how fast the endpoint frees slots', () => {
    let clock = 0;
    const now = () => clock;

    /** Takes the limit's slots, then frees and retakes one `times` times, `everyMs` apart. */
    async function turnOver(slots: EndpointSlots, limit: number, times: number, everyMs: number) {
      for (let i = 0; i < limit; i++) await slots.acquire('a');
      for (let i = 0; i < times; i++) {
        clock += everyMs;
        slots.release('a');
        await slots.acquire('a');
      }
    }

    it('takes as many waiters as an endpoint freeing a slot every 2 ms serves in the wait', async () => {
      const slots = new EndpointSlots(25, 250, now);
      await turnOver(slots, 25, 10, 2);
      const waiters = Array.from({ length: 125 }, () => slots.acquire('a'));
      expect(await slots.acquire('a')).toBe(false);
      expect(await settled(waiters[124]!)).toBe('pending');
      for (let i = 0; i < 125; i++) slots.release('a');
      expect(await Promise.all(waiters)).toEqual(Array(125).fill(true));
    });

    it('takes only the waiters it can serve in time when it frees a slot every 100 ms', async () => {
      const slots = new EndpointSlots(25, 250, now);
      await turnOver(slots, 25, 10, 100);
      const waiters = [slots.acquire('a'), slots.acquire('a')];
      expect(await slots.acquire('a')).toBe(false);
      clock += 250;
      jest.advanceTimersByTime(250);
      expect(await Promise.all(waiters)).toEqual([false, false]);
    });

    it('takes no more waiters once a fast endpoint has stopped freeing slots', async () => {
      const slots = new EndpointSlots(2, 250, now);
      await turnOver(slots, 2, 10, 2);
      clock += 300;
      expect(await slots.acquire('a')).toBe(false);
    });

    it('takes no waiters for an endpoint never seen to free a slot once it has hung for the wait', async () => {
      const slots = new EndpointSlots(2, 250, now);
      await slots.acquire('a');
      await slots.acquire('a');
      const waiters = Array.from({ length: 8 }, () => slots.acquire('a'));
      clock += 250;
      jest.advanceTimersByTime(250);
      expect(await Promise.all(waiters)).toEqual(Array(8).fill(false));
      expect(await slots.acquire('a')).toBe(false);
    });

    it('forgets a slow turnover seconds old when the endpoint saturates again', async () => {
      const slots = new EndpointSlots(2, 250, now);
      await turnOver(slots, 2, 5, 1000);
      for (let i = 0; i < 2; i++) slots.release('a');
      clock += 10_000;
      await slots.acquire('a');
      await slots.acquire('a');
      const waiters = [slots.acquire('a'), slots.acquire('a')];
      expect(await settled(waiters[1]!)).toBe('pending');
    });
  });
});
