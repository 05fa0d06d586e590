import { ReceiptIndex, type Receipt, type SinkAnswer } from '../sink/receipts.js';
import { checkDuplicates } from './duplicates.js';

const receipt = (at: number, answer: SinkAnswer, webhookId = 'w1', endpoint = '/orders'): Receipt => ({
  at,
  sentAt: Math.floor(at / 1000) * 1000,
  webhookId,
  eventId: 'e1',
  endpoint,
  answer,
});

function index(...receipts: Receipt[]): ReceiptIndex {
  const idx = new ReceiptIndex();
  for (const r of receipts) idx.add(r);
  return idx;
}

const fault = [{ start: 10_000, end: 12_000, what: 'test fault' }];
const margin = { beforeMs: 1000, afterMs: 1000, timeoutMs: 2000 };

describe('checkDuplicates', () => {
  it('counts nothing when every webhook was processed once, whatever failed before', () => {
    const result = checkDuplicates(
      ['e1'],
      index(receipt(1, 'error'), receipt(2, 'hang'), receipt(3, 'ok')),
      [],
    );
    expect(result).toMatchObject({ duplicates: 0, unexplained: 0, idChanges: 0 });
  });

  it('accepts a duplicate whose first processing was in flight at a fault', () => {
    const result = checkDuplicates(['e1'], index(receipt(9_500, 'ok'), receipt(15_000, 'ok')), fault, margin);
    expect(result).toMatchObject({ duplicates: 1, bound: 1, unexplained: 0 });
  });

  it('accepts a duplicate after a response cut mid-way, wherever it happened', () => {
    const result = checkDuplicates(['e1'], index(receipt(1, 'cut'), receipt(2, 'ok')), [], margin);
    expect(result).toMatchObject({ duplicates: 1, bound: 1, unexplained: 0 });
  });

  it('flags a duplicate whose first processing was far from any fault', () => {
    const result = checkDuplicates(
      ['e1'],
      index(receipt(20_000, 'ok'), receipt(21_000, 'ok')),
      fault,
      margin,
    );
    expect(result).toMatchObject({ duplicates: 1, bound: 0, unexplained: 1 });
    expect(result.samples[0]).toContain('w1');
  });

  it('accepts a duplicate whose first processing came after the sender had timed out', () => {
    const slow = { ...receipt(20_000, 'ok'), sentAt: 17_000 };
    const result = checkDuplicates(['e1'], index(slow, receipt(21_000, 'ok')), fault, margin);
    expect(result).toMatchObject({ duplicates: 1, bound: 1, late: 1, unexplained: 0 });
  });

  it('counts each endpoint separately and flags a webhook-id that changed', () => {
    const result = checkDuplicates(
      ['e1'],
      index(
        receipt(1, 'ok', 'w1', '/orders'),
        receipt(2, 'ok', 'w2', '/billing'),
        receipt(3, 'error', 'w3', '/billing'),
      ),
      [],
    );
    expect(result).toMatchObject({ duplicates: 0, idChanges: 1 });
  });
});
