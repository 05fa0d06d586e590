import { CoalescedConsumer, type SpendOutcome } from './coalesced-consumer.js';

/** A fixed-window counter like rate-limiter-flexible's: refused points are counted too. */
function counter() {
  const counts = new Map<string, number>();
  const calls: { key: string; total: number }[] = [];
  const spend = (key: string, _limit: number, total: number): Promise<SpendOutcome> => {
    calls.push({ key, total });
    const consumedPoints = (counts.get(key) ?? 0) + total;
    counts.set(key, consumedPoints);
    return Promise.resolve({ consumedPoints, msBeforeNext: 400 });
  };
  return { spend, calls };
}

describe('CoalescedConsumer', () => {
  it('makes one call for the spends of a key that arrive together', async () => {
    const { spend, calls } = counter();
    const consumer = new CoalescedConsumer(spend);
    const decisions = await Promise.all([
      consumer.consume('org-a', 10, 1),
      consumer.consume('org-a', 10, 1),
      consumer.consume('org-b', 10, 3),
      consumer.consume('org-a', 10, 1),
    ]);
    expect(calls).toEqual([
      { key: 'org-a', total: 3 },
      { key: 'org-b', total: 3 },
    ]);
    expect(decisions.map((d) => [d.allowed, d.remaining])).toEqual([
      [true, 9],
      [true, 8],
      [true, 7],
      [true, 7],
    ]);
  });

  it('answers each caller as separate spends in arrival order would have', async () => {
    const { spend } = counter();
    const consumer = new CoalescedConsumer(spend);
    await consumer.consume('org', 5, 3); // 3 of 5 spent
    const decisions = await Promise.all([
      consumer.consume('org', 5, 1), // 4: allowed
      consumer.consume('org', 5, 2), // 6: refused
      consumer.consume('org', 5, 1), // 7: refused, as a separate call after a refusal would be
    ]);
    expect(decisions).toEqual([
      { allowed: true, remaining: 1, msBeforeNext: 400 },
      { allowed: false, remaining: 0, msBeforeNext: 400 },
      { allowed: false, remaining: 0, msBeforeNext: 400 },
    ]);
  });

  it('keeps different limits of one key apart', async () => {
    const { spend, calls } = counter();
    const consumer = new CoalescedConsumer(spend);
    await Promise.all([consumer.consume('org', 5, 1), consumer.consume('org', 50, 1)]);
    expect(calls).toHaveLength(2);
  });

  it('fails every caller of a batch when the limiter itself fails', async () => {
    const consumer = new CoalescedConsumer(() => Promise.reject(new Error('redis down')));
    const outcomes = await Promise.allSettled([consumer.consume('org', 5, 1), consumer.consume('org', 5, 1)]);
    expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'rejected']);
  });

  describe('with leases', () => {
    const inTurn = async (consumer: CoalescedConsumer, count: number, limit: number, cost = 1) => {
      const decisions = [];
      for (let i = 0; i < count; i++) decisions.push(await consumer.consume('org', limit, cost));
      return decisions;
    };

    it('serves the requests after a call from its lease: one call per lease', async () => {
      const { spend, calls } = counter();
      const consumer = new CoalescedConsumer(spend, () => 5);
      const decisions = await inTurn(consumer, 12, 100);
      expect(calls).toEqual([
        { key: 'org', total: 6 },
        { key: 'org', total: 6 },
      ]);
      expect(decisions.every((d) => d.allowed)).toBe(true);
      expect(decisions.map((d) => d.remaining)).toEqual([99, 98, 97, 96, 95, 94, 93, 92, 91, 90, 89, 88]);
    });

    it('never allows more than the limit, in one process or several sharing the store', async () => {
      const one = counter();
      const alone = await inTurn(new CoalescedConsumer(one.spend, () => 5), 120, 100);
      expect(alone.filter((d) => d.allowed)).toHaveLength(100);

      const shared = counter();
      const a = new CoalescedConsumer(shared.spend, () => 5);
      const b = new CoalescedConsumer(shared.spend, () => 5);
      let allowed = 0;
      for (let i = 0; i < 120; i++) if ((await (i % 3 ? a : b).consume('org', 100, 1)).allowed) allowed += 1;
      // What a lease still holds when the other process hits the limit was counted but not used.
      expect(allowed).toBeLessThanOrEqual(100);
      expect(allowed).toBeGreaterThanOrEqual(100 - 2 * 5);
    });

    it('takes one lease at a time, so concurrent calls do not each count one and lose it', async () => {
      const { spend } = counter();
      const slow: typeof spend = (key, limit, total) =>
        new Promise((resolve) => setTimeout(() => resolve(spend(key, limit, total)), 5));
      const consumer = new CoalescedConsumer(slow, () => 5);
      const decisions = [];
      for (let i = 0; i < 120; i++) {
        decisions.push(consumer.consume('org', 100, 1));
        await new Promise((resolve) => setImmediate(resolve));
      }
      const allowed = (await Promise.all(decisions)).filter((d) => d.allowed).length;
      expect(allowed).toBeGreaterThanOrEqual(100 - 5);
      expect(allowed).toBeLessThanOrEqual(100);
    });

    it('goes back to the store when the window of its lease has ended', async () => {
      const { spend, calls } = counter();
      let clock = 0;
      const consumer = new CoalescedConsumer(
        spend,
        () => 5,
        () => clock,
      );
      await consumer.consume('org', 100, 1);
      await consumer.consume('org', 100, 1);
      clock += 400;
      await consumer.consume('org', 100, 1);
      expect(calls).toHaveLength(2);
    });

    it('spends what the lease holds and asks the store for the rest of a larger spend', async () => {
      const { spend, calls } = counter();
      const consumer = new CoalescedConsumer(spend, () => 5);
      await consumer.consume('org', 100, 1);
      expect(await consumer.consume('org', 100, 10)).toMatchObject({ allowed: true, remaining: 89 });
      expect(calls).toEqual([
        { key: 'org', total: 6 },
        { key: 'org', total: 10 },
      ]);
      // Batches of 10 against a limit of 100 and leases of 5: all ten fit, none is lost.
      const batches = counter();
      const batching = new CoalescedConsumer(batches.spend, () => 5);
      const decisions = [];
      for (let i = 0; i < 11; i++) decisions.push(await batching.consume('org', 100, 10));
      expect(decisions.map((d) => d.allowed)).toEqual([...Array(10).fill(true), false]);
    });
  });
});
