import { MAX_PAYLOAD_DEPTH, checkPayload } from './payload-checks.js';

const nest = (depth: number): unknown => (depth <= 1 ? {} : { a: nest(depth - 1) });

describe('checkPayload', () => {
  it('accepts ordinary documents, including unicode text and empty containers', () => {
    expect(
      checkPayload({ name: 'Zoë 🚀', list: [1, [], {}], n: null, ok: true }, '/payload'),
    ).toBeUndefined();
  });

  it(`accepts nesting up to ${MAX_PAYLOAD_DEPTH} levels and refuses one more`, () => {
    expect(checkPayload(nest(MAX_PAYLOAD_DEPTH), '/payload')).toBeUndefined();
    expect(checkPayload(nest(MAX_PAYLOAD_DEPTH + 1), '/payload')?.message).toMatch(/deeper/);
  });

  it('points at the offending value with a JSON pointer, escaping ~ and /', () => {
    expect(checkPayload({ 'a/b': { 'c~d': ['x', 'y\u0000'] } }, '/payload')).toEqual({
      pointer: '/payload/a~1b/c~0d/1',
      message: 'contains a NUL character (\\u0000)',
    });
  });

  it('refuses lone surrogates in values and keys, and __proto__ keys', () => {
    expect(checkPayload({ s: '\ud800' }, '')?.message).toMatch(/surrogate/);
    expect(checkPayload({ ['\udc00']: 1 }, '')?.message).toMatch(/key .*surrogate/);
    expect(checkPayload(JSON.parse('{"x":{"__proto__":{"polluted":true}}}'), '')?.message).toMatch(
      /__proto__/,
    );
  });
});
