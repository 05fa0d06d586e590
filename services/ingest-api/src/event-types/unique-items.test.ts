import { compileUserSchema } from './user-schema.js';

function validator(schema: Record<string, unknown>) {
  const result = compileUserSchema(schema);
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result.validate;
}

describe('uniqueItems in tenant schemas', () => {
  const unique = validator({ type: 'array', uniqueItems: true });

  it('finds equal items whatever the order of their keys, and names both', () => {
    expect(unique([{ a: 1, b: [1, { c: 2 }] }, 'x', { b: [1, { c: 2 }], a: 1 }])).toBe(false);
    expect(unique.errors?.[0]).toMatchObject({
      keyword: 'uniqueItems',
      params: { i: 2, j: 0 },
      message: 'must NOT have duplicate items (items ## 0 and 2 are identical)',
    });
  });

  it('tells apart items that differ only in type or nesting', () => {
    expect(unique([1, '1', [1], { 1: 1 }, null, 'null', true, 'true', [[1]], []])).toBe(true);
  });

  it('checks 5,000 distinct objects within a generous second, where a pairwise check takes seconds', () => {
    // ajv's own check compares every pair: 12.5 million deep comparisons here.
    const items = Array.from({ length: 5_000 }, (_, i) => ({ tags: ['x', 'y'], id: i }));
    const started = performance.now();
    expect(unique(items)).toBe(true);
    expect(performance.now() - started).toBeLessThan(1000);
    expect(unique([...items, { id: 4_999, tags: ['x', 'y'] }])).toBe(false);
  });

  it('points at the array that holds the duplicates', () => {
    const tagged = validator({
      type: 'object',
      properties: { tags: { type: 'array', uniqueItems: true } },
    });
    expect(tagged({ tags: [1, 1] })).toBe(false);
    expect(tagged.errors?.[0]).toMatchObject({
      instancePath: '/tags',
      schemaPath: '#/properties/tags/uniqueItems',
    });
  });

  it('does nothing when false', () => {
    expect(validator({ type: 'array', uniqueItems: false })([1, 1])).toBe(true);
  });
});
