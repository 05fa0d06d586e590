import { schemaFanOut } from './schema-fan-out.js';

const fanOut = (schema: Record<string, unknown>) => schemaFanOut(schema, '/schema');

describe('schemaFanOut', () => {
  it('counts one check per subschema a value meets, one per required name, more per anyOf branch', () => {
    expect(fanOut({ type: 'object' })).toEqual({ atRoot: 1, fanOut: 0 });
    expect(fanOut({ type: 'object', required: ['a', 'b'] })).toEqual({ atRoot: 3, fanOut: 0 });
    expect(fanOut({ anyOf: [{ type: 'string' }, { type: 'number' }] })).toEqual({ atRoot: 35, fanOut: 0 });
  });

  it('counts what each value below the root meets apart from the root', () => {
    const schema = { type: 'array', items: { type: 'string', pattern: '^a' } };
    expect(fanOut(schema)).toEqual({ atRoot: 1, fanOut: 33 });
  });

  it('counts one property schema per child, since a key names one property', () => {
    const schema = { type: 'object', properties: { a: { type: 'string' }, b: { type: 'number' } } };
    expect(fanOut(schema)).toEqual({ atRoot: 1, fanOut: 1 });
  });

  it('counts a recursive tree schema once per level', () => {
    const tree = {
      $defs: { node: { type: 'array', items: { $ref: '#/$defs/node' } } },
      $ref: '#/$defs/node',
    };
    expect(fanOut(tree)).toEqual({ atRoot: 2, fanOut: 2 });
  });

  it('sees recursion through anyOf multiply at every level of the payload', () => {
    const branch = { type: 'array', items: { $ref: '#/$defs/n' } };
    const result = fanOut({ $defs: { n: { anyOf: [branch, branch] } }, $ref: '#/$defs/n' });
    expect('fanOut' in result && result.fanOut).toBeGreaterThan(2 ** 30);
  });

  it('refuses references that never descend into the payload', () => {
    expect(
      fanOut({ $defs: { a: { $ref: '#/$defs/b' }, b: { $ref: '#/$defs/a' } }, $ref: '#/$defs/a' }),
    ).toEqual({
      problem: expect.objectContaining({ message: expect.stringMatching(/refers to itself/) }),
    });
  });

  it('refuses references outside the schema and nested $id', () => {
    expect(fanOut({ $ref: 'https://schemas.example/x.json' })).toMatchObject({
      problem: { pointer: '/schema/$ref' },
    });
    for (const $ref of ['#/%E0%A4%A', '#/__proto__', '#/$defs/missing']) {
      expect(fanOut({ $defs: {}, $ref })).toMatchObject({ problem: { pointer: '/schema/$ref' } });
    }
    expect(fanOut({ properties: { a: { $id: 'https://x.example/a' } } })).toMatchObject({
      problem: { pointer: '/schema/properties/a/$id' },
    });
  });

  it('refuses a nested $id under a property or definition named like a data keyword', () => {
    const nested = { $id: 'https://x.example/n', type: 'array' };
    for (const name of ['const', 'enum', 'default', 'examples']) {
      expect(fanOut({ properties: { [name]: { properties: { a: nested } } } })).toMatchObject({
        problem: { pointer: `/schema/properties/${name}/properties/a/$id` },
      });
      expect(fanOut({ $defs: { [name]: nested } })).toMatchObject({
        problem: { pointer: `/schema/$defs/${name}/$id` },
      });
    }
  });

  it('ignores an $id inside a data keyword, which is never compiled', () => {
    expect(fanOut({ const: { $id: 'https://x.example/n' }, default: [{ $id: 'x' }] })).toEqual({
      atRoot: 1,
      fanOut: 0,
    });
  });

  it('resolves anchors', () => {
    expect(fanOut({ $defs: { s: { $anchor: 'str', type: 'string' } }, $ref: '#str' })).toEqual({
      atRoot: 2,
      fanOut: 0,
    });
  });
});
