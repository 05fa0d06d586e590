import { DeliveryBudget } from './delivery-budget.js';

const settled = async <T>(promise: Promise<T>): Promise<T | 'pending'> =>
  Promise.race([promise, new Promise<'pending'>((resolve) => setImmediate(() => resolve('pending')))]);

describe('DeliveryBudget', () => {
  it('lets a job past the limit go alone, and the next wait until deliveries are done', async () => {
    const budget = new DeliveryBudget(10);
    const big = (await budget.hold(50))!;
    expect(budget.deliveriesHeld).toBe(50);
    const next = budget.hold(5);
    expect(await settled(next)).toBe('pending');
    for (let i = 0; i < 40; i++) big.done();
    expect(await settled(next)).toBe('pending');
    big.done();
    expect(await settled(next)).not.toBe('pending');
    expect(budget.deliveriesHeld).toBe(14);
  });

  it('grants jobs in arrival order, and end frees what is left of a job', async () => {
    const budget = new DeliveryBudget(2);
    const first = (await budget.hold(2))!;
    const order: string[] = [];
    const second = budget.hold(1).then((h) => (order.push('second'), h));
    const third = budget.hold(1).then((h) => (order.push('third'), h));
    first.end();
    first.end();
    await Promise.all([second, third]);
    expect(order).toEqual(['second', 'third']);
    expect(budget.deliveriesHeld).toBe(2);
  });

  it('gives at most `limit` sending turns at once, the next to the longest waiting', async () => {
    const budget = new DeliveryBudget(1);
    const end = await budget.turn();
    const waiting = budget.turn();
    expect(await settled(waiting)).toBe('pending');
    end();
    end();
    const endNext = await waiting;
    expect(await settled(budget.turn())).toBe('pending');
    endNext();
  });

  it('starts no waiting job once closed, and lets the jobs started finish', async () => {
    const budget = new DeliveryBudget(1);
    const started = await budget.hold(1);
    const waiting = budget.hold(1);
    budget.close();
    expect(await waiting).toBeUndefined();
    expect(await budget.hold(1)).toBeUndefined();
    started!.end();
    expect(budget.deliveriesHeld).toBe(0);
  });
});
