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
});
