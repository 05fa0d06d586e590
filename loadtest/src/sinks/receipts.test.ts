import { createReceiptLog, eventIdOf, sentAtOf } from './receipts.js';

const body = (id: string, payload: Record<string, unknown> = {}) =>
  JSON.stringify({ id, type: 'order.created', payload });
const EVENT = '0b9c3a4e-7f4b-4c1e-9a7e-2f1d3c5b6a70';

describe('eventIdOf', () => {
  it('reads the id of a delivery body, with or without the fast path', () => {
    expect(eventIdOf(body(EVENT))).toBe(EVENT);
    expect(eventIdOf(JSON.stringify({ type: 'x', id: 'other' }))).toBe('other');
    expect(eventIdOf('not json')).toBeUndefined();
  });
});

describe('sentAtOf', () => {
  it('reads payload.sent_at_ms when present', () => {
    expect(sentAtOf(body(EVENT, { sent_at_ms: 1234.5 }))).toBe(1234.5);
    expect(sentAtOf(body(EVENT))).toBeUndefined();
  });
});

describe('createReceiptLog', () => {
  it('counts deliveries sent twice and keeps the first receipt of each event', () => {
    const log = createReceiptLog();
    log.record('msg_1', body(EVENT, { sent_at_ms: 100 }), 112);
    log.record('msg_1', body(EVENT, { sent_at_ms: 100 }), 130);
    log.record('msg_2', body('e2'), 140);
    expect(log.stats()).toEqual({ received: 3, distinctWebhookIds: 2, duplicates: 1, events: 2 });
    expect(log.receipts()).toEqual([
      [EVENT, 112],
      ['e2', 140],
    ]);
    expect(log.latencies(0)).toEqual([12, 30]);
    expect(log.latencies(1)).toEqual([30]);
    log.reset();
    expect(log.stats().received).toBe(0);
  });
});
