import { bodyValidator, queryValidator, validatedDate } from './ajv.js';

const parseBody = bodyValidator<{ at?: string; name?: string; n?: number; any?: unknown }>({
  type: 'object',
  properties: {
    at: { type: 'string', format: 'date-time', maxLength: 64 },
    name: { type: 'string', maxLength: 100 },
    n: { type: 'integer' },
    any: {},
  },
});
const parseQuery = queryValidator<{ from?: string; q?: string; tags?: string[]; limit?: number }>({
  type: 'object',
  properties: {
    from: { type: 'string', format: 'date-time', maxLength: 64 },
    q: { type: 'string', maxLength: 100 },
    tags: { type: 'array', items: { type: 'string' } },
    limit: { type: 'integer' },
  },
});

const EDGE_DATES = [
  '0000-01-01T00:00:00Z',
  '9999-12-31T23:59:59-01:00',
  '0001-01-01T00:00:00+01:00',
  '2016-12-31T23:59:60Z',
];

describe('format date-time', () => {
  it.each(EDGE_DATES)('refuses %s, which Date or Postgres cannot hold, in a body and a query', (at) => {
    expect(() => parseBody({ at })).toThrow(
      expect.objectContaining({ status: 422, code: 'validation_failed' }),
    );
    expect(() => parseQuery({ from: at })).toThrow(
      expect.objectContaining({ status: 400, code: 'invalid_query' }),
    );
  });

  it('accepts the first and last storable instants, with offsets', () => {
    for (const at of ['0001-01-01T00:00:00Z', '9999-12-31T23:59:59.999Z', '0001-01-01T00:00:00-01:00']) {
      expect(parseBody({ at }).at).toBe(at);
      expect(validatedDate(at)?.getTime()).toBe(Date.parse(at));
    }
  });
});

describe('bodyValidator', () => {
  it.each([
    ['a NUL character', { name: 'a\u0000b' }, '/name'],
    ['a lone surrogate', { name: '\udc00' }, '/name'],
    ['a NUL character deep in a free-form value', { any: { list: ['x', 'y\u0000'] } }, '/any/list/1'],
    ['1e309', { n: Infinity }, '/n'],
    ['an integer beyond 2^53', { n: 2 ** 53 + 2 }, '/n'],
  ])('refuses %s with a pointer to it', (_name, body, pointer) => {
    expect(() => parseBody(body)).toThrow(
      expect.objectContaining({
        status: 422,
        extras: { errors: expect.arrayContaining([expect.objectContaining({ pointer })]) },
      }),
    );
  });
});

describe('queryValidator', () => {
  it.each([
    ['a NUL character', { q: 'a\u0000' }],
    ['a lone surrogate', { q: '\ud800' }],
    ['one of a repeated parameter with a NUL character', { tags: ['a', 'b\u0000'] }],
    ['1e309', { limit: '1e309' }],
  ])('refuses %s', (_name, query) => {
    expect(() => parseQuery(query)).toThrow(expect.objectContaining({ status: 400, code: 'invalid_query' }));
  });

  // `q` has no pattern to refuse these first: only the storability rule stands in their way.
  it.each([
    ['a NUL character', 'a\u0000b', /NUL/],
    ['a lone surrogate', 'a\ud800', /lone UTF-16 surrogate/],
  ])('refuses %s in a free-text parameter, naming the parameter', (_name, q, message) => {
    expect(() => parseQuery({ q })).toThrow(
      expect.objectContaining({
        status: 400,
        code: 'invalid_query',
        detail: expect.stringMatching(/^q /),
        extras: { errors: [{ pointer: '/q', message: expect.stringMatching(message) }] },
      }),
    );
  });
});
