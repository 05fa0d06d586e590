import { createEventBodies } from './event-body.js';

describe('createEventBodies', () => {
  it('makes valid, distinct bodies of about 300 bytes', () => {
    const next = createEventBodies('bench-abcd1234-r1');
    const bodies = Array.from({ length: 1000 }, next);
    const parsed = bodies.map((body) => JSON.parse(body) as { type: string; dedup_id: string });
    expect(new Set(parsed.map((event) => event.dedup_id)).size).toBe(1000);
    expect(parsed[0]?.type).toBe('order.created');
    for (const body of bodies) expect(Buffer.byteLength(body)).toBeGreaterThan(280);
    for (const body of bodies) expect(Buffer.byteLength(body)).toBeLessThan(360);
  });
});
