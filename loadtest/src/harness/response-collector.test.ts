import { countOtherThan, createResponseCollector } from './response-collector.js';

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

describe('countOtherThan', () => {
  it('sums every other status', () => {
    expect(countOtherThan({ '202': 5, '429': 2, '500': 1 }, 202)).toBe(3);
  });
});
