import { matchingEndpoints } from '../load/event-mix.js';
import { ReceiptIndex } from '../sink/receipts.js';
import { checkDeliveriesReached, countUnexpectedReceipts } from './deliveries-reached.js';

describe('matchingEndpoints', () => {
  it('applies exact names, prefix wildcards, `*` and the empty filter', () => {
    const endpoints = [
      { path: '/a', eventTypes: ['order.*'] },
      { path: '/b', eventTypes: ['invoice.paid'] },
      { path: '/c', eventTypes: [] },
      { path: '/d', eventTypes: ['*'] },
    ];
    expect(matchingEndpoints('order.created', endpoints)).toEqual(['/a', '/c', '/d']);
    expect(matchingEndpoints('order.item.added', endpoints)).toEqual(['/a', '/c', '/d']);
    expect(matchingEndpoints('orders', endpoints)).toEqual(['/c', '/d']);
    expect(matchingEndpoints('invoice.paid', endpoints)).toEqual(['/b', '/c', '/d']);
  });
});

describe('checkDeliveriesReached', () => {
  it('expects one acknowledged webhook per matching endpoint and nothing for unmatched types', () => {
    const receipts = new ReceiptIndex();
    receipts.add({ at: 1, sentAt: 0, webhookId: 'w1', eventId: 'e1', endpoint: '/orders', answer: 'ok' });
    receipts.add({ at: 1, sentAt: 0, webhookId: 'w2', eventId: 'e1', endpoint: '/billing', answer: 'error' });
    const stored = [
      { id: 'e1', type: 'order.refunded' },
      { id: 'e2', type: 'audit.logged' },
    ];
    const result = checkDeliveriesReached(stored, receipts);
    expect(result).toMatchObject({ expected: 2, missing: 1 });
    expect(result.missingSamples).toEqual(['e1 → /billing']);
  });

  it('counts webhooks for events that were never stored', () => {
    const receipts = new ReceiptIndex();
    receipts.add({ at: 1, sentAt: 0, webhookId: 'w9', eventId: 'e9', endpoint: '/orders', answer: 'ok' });
    expect(countUnexpectedReceipts([{ id: 'e1', type: 'order.created' }], receipts)).toBe(1);
  });
});
