import { MAX_JSON_DEPTH, checkStorableJson } from './storable-json.js';

const nest = (depth: number): unknown => (depth <= 1 ? {} : { a: nest(depth - 1) });

describe('checkStorableJson', () => {
  it('accepts ordinary documents, including unicode text and empty containers', () => {
    expect(
      checkStorableJson({ name: 'Zoë 🚀', list: [1, [], {}], n: null, ok: true }, '/payload'),
    ).toBeUndefined();
  });

  it(`accepts nesting up to ${MAX_JSON_DEPTH} levels and refuses one more`, () => {
    expect(checkStorableJson(nest(MAX_JSON_DEPTH), '/payload')).toBeUndefined();
    expect(checkStorableJson(nest(MAX_JSON_DEPTH + 1), '/payload')?.message).toMatch(/deeper/);
  });

  it('points at the offending value with a JSON pointer, escaping ~ and /', () => {
    expect(checkStorableJson({ 'a/b': { 'c~d': ['x', 'y\u0000'] } }, '/payload')).toEqual({
      pointer: '/payload/a~1b/c~0d/1',
      message: 'contains a NUL character (\\u0000)',
    });
  });

  it('refuses lone surrogates in values and keys, and __proto__ keys', () => {
    expect(checkStorableJson({ s: '\ud800' }, '')?.message).toMatch(/surrogate/);
    expect(checkStorableJson({ ['\udc00']: 1 }, '')?.message).toMatch(/key .*surrogate/);
    expect(checkStorableJson(JSON.parse('{"x":{"__proto__":{"polluted":true}}}'), '')?.message).toMatch(
      /__proto__/,
    );
  });

  it('refuses numbers JSON cannot carry exactly: infinite, or integers past 2^53', () => {
    expect(checkStorableJson(JSON.parse('{"n":1e309}'), '')).toMatchObject({ pointer: '/n' });
    expect(checkStorableJson({ n: [2 ** 53] }, '')).toMatchObject({ pointer: '/n/0' });
    expect(
      checkStorableJson({ n: Number.MAX_SAFE_INTEGER, f: 1.5e-300, m: -0.25, g: 123.456 }, ''),
    ).toBeUndefined();
  });
});
