// Risk: one organization's schema holds the event loop that every organization shares: a pattern that backtracks, a pairwise uniqueItems, or a schema whose checks multiply, with a payload that finds the worst case.
import { anEvent, startTestApi, type TestApi } from './test-api.js';
import { call } from './fixtures.js';

// Generous: a request takes a few milliseconds; a backtracking pattern held the loop for minutes.
const VICTIM_BOUND_MS = 1000;
const ATTACKER_BOUND_MS = 2000;

// The worst the registration bounds allow, each with a payload that finds its worst case.
const attacks: { name: string; schema: object; payload: unknown; status: number }[] = [
  {
    // A backtracking engine tries 2^29 ways to split the a's before giving up (~seconds; 35 a's: minutes).
    name: 'attack.backtracking',
    schema: { type: 'object', properties: { s: { type: 'string', pattern: '^(a+)+$' } } },
    payload: { s: `${'a'.repeat(29)}!` },
    status: 422,
  },
  {
    name: 'attack.backtracking-long',
    schema: { type: 'object', properties: { s: { type: 'string', pattern: '^(a|aa)+$' } } },
    payload: { s: 'a'.repeat(200_000) },
    status: 202,
  },
  {
    // Distinct objects: a pairwise check compares all 12.5 million pairs.
    name: 'attack.unique',
    schema: { type: 'object', properties: { list: { type: 'array', uniqueItems: true } } },
    payload: { list: Array.from({ length: 5_000 }, (_, i) => ({ tags: ['x'], id: i })) },
    status: 202,
  },
  {
    // Every key meets every pattern.
    name: 'attack.pattern-properties',
    schema: {
      type: 'object',
      patternProperties: Object.fromEntries(
        Array.from({ length: 7 }, (_, i) => [`^k${i}(x|xx)+$`, { type: 'number' }]),
      ),
    },
    payload: Object.fromEntries(Array.from({ length: 15_000 }, (_, i) => [`k${i % 7}${'x'.repeat(4)}`, i])),
    status: 202,
  },
];

describe('a tenant with pathological schemas beside a normal one', () => {
  let api: TestApi;
  let victim: { id: string; key: string };
  let attacker: { id: string; key: string };
  beforeAll(async () => {
    api = await startTestApi({ EVENT_TYPE_CACHE_TTL_MS: '600000' });
    victim = await api.createOrganization();
    attacker = await api.createOrganization();
    const order = {
      type: 'object',
      required: ['order_id'],
      properties: { order_id: { type: 'string', pattern: '^ord_[a-z0-9]+$' }, total: { type: 'integer' } },
    };
    expect(
      (await call(api, 'POST', '/api/event-types', victim.key, { name: 'order.created', schema: order }))
        .status,
    ).toBe(201);
    for (const attack of attacks) {
      const res = await call(api, 'POST', '/api/event-types', attacker.key, {
        name: attack.name,
        schema: attack.schema,
      });
      expect([attack.name, res.status]).toEqual([attack.name, 201]);
    }
  });
  afterAll(() => api.close());

  it('answers the victim within a second while the attacker’s worst payloads are validated, and the attacker in bounded time', async () => {
    let attacking = true;
    const victimTimes: number[] = [];
    const victimStatuses = new Set<number>();
    const victimTraffic = (async () => {
      for (let i = 0; attacking || i < 10; i++) {
        const started = performance.now();
        const res =
          i % 2 === 0
            ? await call(api, 'POST', '/api/events', victim.key, anEvent())
            : await call(api, 'POST', '/api/events/batch', victim.key, { events: [anEvent(), anEvent()] });
        victimTimes.push(performance.now() - started);
        victimStatuses.add(res.status);
      }
    })();

    const attackerTimes: { name: string; status: number; ms: number }[] = [];
    try {
      for (let round = 0; round < 3; round++) {
        for (const attack of attacks) {
          const started = performance.now();
          const res = await call(api, 'POST', '/api/events', attacker.key, {
            type: attack.name,
            payload: attack.payload,
          });
          attackerTimes.push({ name: attack.name, status: res.status, ms: performance.now() - started });
        }
      }
    } finally {
      attacking = false;
      await victimTraffic;
    }

    expect(Math.max(...victimTimes)).toBeLessThan(VICTIM_BOUND_MS);
    expect([...victimStatuses].filter((s) => s !== 202)).toEqual([]);
    for (const { name, status, ms } of attackerTimes) {
      const expected = attacks.find((a) => a.name === name)!.status;
      expect({ name, status, fast: ms < ATTACKER_BOUND_MS }).toEqual({ name, status: expected, fast: true });
    }
    // Long enough that a broken bound fails on the latencies above rather than on the test's own timeout.
  }, 180_000);
});
