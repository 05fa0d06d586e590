import { batchIds, countOtherThan, createResponseCollector } from './response-collector.js';

describe('createResponseCollector', () => {
  it('counts statuses, keeps accepted ids and one sample body per failing status', () => {
    const collector = createResponseCollector();
    collector.record(202, '{"id":"a","status":"accepted"}');
    collector.record(202, '{"status":"accepted"}');
    collector.record(202, 'not json');
    collector.record(503, '{"code":"unavailable"}');
    collector.record(503, '{"code":"other"}');
    expect(collector.result()).toEqual({
      statusCounts: { '202': 3, '503': 2 },
      acceptedIds: ['a'],
      acceptedWithoutId: 2,
      sampleBodies: { '503': '{"code":"unavailable"}' },
    });
  });
});

describe('batchIds', () => {
  it('keeps the ids of the items accepted as new', () => {
    const body = JSON.stringify({
      accepted: 1,
      duplicates: 1,
      rejected: 1,
      results: [
        { index: 0, status: 'accepted', id: 'a', received_at: '2026-11-28T00:00:00.000Z' },
        { index: 1, status: 'accepted', id: 'b', duplicate: true },
        { index: 2, status: 'rejected', errors: [] },
      ],
    });
    expect(batchIds(body)).toEqual(['a']);
    expect(batchIds('{"id":"a"}')).toBeUndefined();
  });
});

describe('countOtherThan', () => {
  it('sums every other status', () => {
    expect(countOtherThan({ '202': 5, '429': 2, '500': 1 }, 202)).toBe(3);
  });
});
