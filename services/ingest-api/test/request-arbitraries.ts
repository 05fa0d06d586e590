import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { openApiDocument } from '../src/openapi/openapi.js';

/**
 * Generators of hostile requests, built from the OpenAPI document: every operation, each request
 * schema's fields and each query parameter, so that a route, field or parameter added to the
 * document is covered without a change here. Each value is mostly valid for its schema, so that the
 * request gets past the checks around it and the hostile one reaches the rule it tests.
 */

type Schema = Record<string, unknown>;
type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';
interface Parameter {
  name: string;
  in: string;
  schema: Schema;
}
interface OperationObject {
  parameters?: Parameter[];
  requestBody?: { content?: Record<string, { schema?: Schema }> };
}

export interface Operation {
  method: Method;
  path: string;
  query: Parameter[];
  body: Schema | undefined;
}

const document = openApiDocument as unknown as {
  paths: Record<string, Partial<Record<Method, OperationObject>>>;
};

/** Resolves `#/...` references of the document, nested ones included. */
function resolve(schema: Schema): Schema {
  const ref = schema.$ref;
  if (typeof ref !== 'string') return schema;
  const target = ref
    .slice(2)
    .split('/')
    .reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], openApiDocument);
  return resolve(target as Schema);
}

/** Every operation of the OpenAPI document. */
export const operations: Operation[] = Object.entries(document.paths).flatMap(([path, item]) =>
  (['get', 'post', 'put', 'patch', 'delete'] as const).flatMap((method) => {
    const op = item[method];
    if (!op) return [];
    const body = op.requestBody?.content?.['application/json']?.schema;
    return [
      {
        method,
        path,
        query: (op.parameters ?? []).filter((p) => p.in === 'query'),
        body: body && resolve(body),
      },
    ];
  }),
);

/** A JSON number literal that JSON.stringify cannot write (1e309 is Infinity, 2^53+1 rounds). */
class RawNumber {
  constructor(readonly literal: string) {}
}
const RAW = /"\\u0001raw:([^"\\]+)\\u0001"/g;

/** JSON text of a generated value, with RawNumbers written as their literal. */
export function toJsonText(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v instanceof RawNumber ? `\u0001raw:${v.literal}\u0001` : v,
  ).replace(RAW, '$1');
}

/** Dates RFC 3339 allows that Date or Postgres cannot hold, and the storable extremes. */
export const EDGE_DATES = [
  '0000-01-01T00:00:00Z',
  '9999-12-31T23:59:59-01:00',
  '0001-01-01T00:00:00+01:00',
  '2016-12-31T23:59:60Z',
  '0001-01-01T00:00:00Z',
  '9999-12-31T23:59:59.999Z',
  '2026-02-30T00:00:00Z',
];

export const hostileText = fc.constantFrom(
  '\u0000',
  'a\u0000b',
  '\ud800',
  'x\udc00',
  '\udbff\udbff',
  'a'.repeat(5000),
  '😀'.repeat(3000),
  "' OR 1=1 --",
  '__proto__',
  '%00',
  '1e309',
  ...EDGE_DATES,
);
const hostileNumber = fc.constantFrom(
  new RawNumber('1e309'),
  new RawNumber('-1e309'),
  new RawNumber('9007199254740993'),
  new RawNumber('1e400'),
  -1,
  0,
  0.5,
  2 ** 31,
);

/** JSON Schema `pattern`s a tenant might register: catastrophic, unsupported or unstorable. */
const hostilePattern = fc.constantFrom(
  '^(a+)+$',
  '^(a|a)*$',
  '(x+x+)+y',
  '[',
  '(?<=a)b',
  '\\p{L}+',
  'a{1,100000}',
  '\u0000',
  '\ud800',
  '(?:',
  '\\1',
);

/** An event-type schema: ordinary, or carrying a hostile pattern, string or number. */
const eventTypeSchema: fc.Arbitrary<unknown> = fc.oneof(
  fc.constant({ type: 'object' }),
  {
    arbitrary: hostilePattern.map((pattern) => ({
      type: 'object',
      properties: { s: { type: 'string', pattern } },
    })),
    weight: 3,
  },
  hostilePattern.map((pattern) => ({ type: 'object', patternProperties: { [pattern]: { type: 'string' } } })),
  hostileText.map((text) => ({ type: 'object', description: text })),
  hostileText.map((text) => ({ type: 'object', properties: { [text]: { const: text } } })),
  hostileNumber.map((n) => ({ type: 'object', properties: { n: { type: 'number', maximum: n } } })),
  fc.jsonValue({ maxDepth: 3 }),
);

/** A free-form object (an event payload): JSON values with hostile text and numbers among them. */
const freeForm: fc.Arbitrary<unknown> = fc.dictionary(
  fc.oneof({ arbitrary: fc.string({ maxLength: 8 }), weight: 4 }, hostileText),
  fc.oneof({ arbitrary: fc.jsonValue({ maxDepth: 3 }), weight: 4 }, hostileText, hostileNumber),
  { maxKeys: 4 },
);

/** A value valid for a string schema (enum, format or pattern), without the hostile ones. */
function validString(s: Schema): fc.Arbitrary<string> {
  if (Array.isArray(s.enum)) return fc.constantFrom(...(s.enum as string[]));
  const max = Math.min(Number(s.maxLength ?? 40), 40);
  switch (s.format) {
    case 'date-time':
      return fc
        .date({ min: new Date('2000-01-01'), max: new Date('2100-01-01'), noInvalidDate: true })
        .map((d) => d.toISOString());
    case 'uuid':
      return fc.uuid();
    case 'uri':
      return fc.constantFrom('http://127.0.0.1:9/hook', 'https://example.com/webhooks', 'http://[::1]/x');
  }
  if (typeof s.pattern === 'string') {
    return fc
      .stringMatching(new RegExp(s.pattern))
      .filter((v) => v.length >= Number(s.minLength ?? 0) && v.length <= max);
  }
  return fc.string({ minLength: Number(s.minLength ?? 0), maxLength: max });
}

/** A value for `schema`: usually valid, at times hostile in one of the ways the rules refuse. */
export function valueOf(schema: Schema, name = ''): fc.Arbitrary<unknown> {
  const s = resolve(schema);
  if (s.const !== undefined) return fc.constant(s.const);
  if (name === 'schema') return eventTypeSchema;
  const variants = (Array.isArray(s.anyOf) ? s.anyOf : Array.isArray(s.oneOf) ? s.oneOf : undefined) as
    Schema[] | undefined;
  if (variants) return fc.oneof(...variants.map((v) => valueOf(v, name)));
  const types = ([] as string[]).concat(
    (s.type as string | string[] | undefined) ?? (s.enum ? 'string' : []),
  );
  if (types.length === 0) return fc.oneof(fc.jsonValue({ maxDepth: 2 }), hostileText);
  return fc.oneof(...types.map((type) => valueOfType(s, type, name)));
}

function valueOfType(s: Schema, type: string, name: string): fc.Arbitrary<unknown> {
  switch (type) {
    case 'string':
      return fc.oneof({ arbitrary: validString(s), weight: 4 }, hostileText);
    case 'integer':
    case 'number': {
      const min = Number(s.minimum ?? -1000);
      const max = Number(s.maximum ?? 1000);
      return fc.oneof({ arbitrary: fc.integer({ min, max: Math.max(min, max) }), weight: 4 }, hostileNumber);
    }
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array':
      return fc.array(s.items ? valueOf(s.items as Schema, name) : fc.jsonValue(), {
        maxLength: Math.min(Number(s.maxItems ?? 3), 3),
      });
    case 'object': {
      const properties = (s.properties ?? {}) as Record<string, Schema>;
      if (Object.keys(properties).length === 0) {
        if (s.additionalProperties && typeof s.additionalProperties === 'object') {
          return fc.dictionary(
            valueOf((s.propertyNames ?? { type: 'string', maxLength: 20 }) as Schema) as fc.Arbitrary<string>,
            valueOf(s.additionalProperties as Schema),
            { maxKeys: 3 },
          );
        }
        return freeForm;
      }
      const record = fc.record(
        Object.fromEntries(Object.entries(properties).map(([key, child]) => [key, valueOf(child, key)])),
        { requiredKeys: ((s.required ?? []) as string[]).filter((k) => k in properties) },
      );
      // Now and then an extra property, hostile in its name.
      return fc.oneof(
        { arbitrary: record, weight: 6 },
        fc.tuple(record, hostileText, fc.jsonValue({ maxDepth: 1 })).map(([r, k, v]) => ({ ...r, [k]: v })),
      );
    }
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
}

/** A forged cursor of any listing, whose timestamp or id is out of what Postgres holds. */
const forgedCursor = fc
  .tuple(
    fc.constantFrom('events', 'deliveries', 'endpoints', 'inbox', 'name'),
    fc.constantFrom(
      ...EDGE_DATES.map((d) => d.replace(/(\.\d+)?(Z|[+-]\d\d:\d\d)$/, '.000000Z')),
      '2026-13-01T00:00:00.000000Z',
    ),
    fc.oneof(fc.uuid(), hostileText),
    fc.constantFrom('1', '18446744073709551616', '99999999999999999999'),
  )
  .map(([kind, at, id, xid]) =>
    Buffer.from(
      JSON.stringify(kind === 'inbox' ? [kind, xid, at, id] : kind === 'name' ? [kind, id] : [kind, at, id]),
    ).toString('base64url'),
  );

/** A query-string value for a parameter: valid, an edge date, a forged cursor or hostile text. */
export function queryValueOf(parameter: Parameter): fc.Arbitrary<string | string[]> {
  const valid = valueOf(parameter.schema).map((v) => (typeof v === 'string' ? v : toJsonText(v)));
  const special =
    parameter.name === 'cursor'
      ? forgedCursor
      : parameter.schema.format === 'date-time'
        ? fc.constantFrom(...EDGE_DATES)
        : hostileText;
  return fc.oneof(
    { arbitrary: valid, weight: 3 },
    { arbitrary: special, weight: 2 },
    fc.array(valid, { minLength: 2, maxLength: 2 }),
  );
}

/** Path segments: known ids, random ones, hostile text percent-encoded, and escapes that do not decode. */
export function pathParam(known: string[]): fc.Arbitrary<string> {
  const percentEncoded = (v: string) =>
    [...Buffer.from(v, 'utf8')].map((b) => `%${b.toString(16).padStart(2, '0')}`).join('');
  const existing = known.length > 0 ? fc.constantFrom(...known) : fc.uuid();
  return fc.oneof(
    { arbitrary: existing, weight: 6 },
    fc.uuid(),
    hostileText.map(percentEncoded),
    existing.map(percentEncoded),
    fc.constantFrom('%E0%A4%A', '%ff', '%', '%zz', '%C0%80', '%ED%A0%80', '%00', '..', '%2F', '%252F'),
  );
}

/** A body in one Content-Encoding: identity, a valid or a corrupt gzip, deflate or br, or one not accepted. */
export const contentEncoding = fc.constantFrom(
  ...([
    'none',
    'identity',
    'gzip',
    'deflate',
    'br',
    'gzip-corrupt',
    'deflate-corrupt',
    'br-corrupt',
    'zstd',
    'gzip, gzip',
  ] as const),
);
export type ContentEncoding = typeof contentEncoding extends fc.Arbitrary<infer E> ? E : never;

export function encodeBody(body: Buffer, encoding: ContentEncoding): { body: Buffer; header?: string } {
  switch (encoding) {
    case 'none':
      return { body };
    case 'gzip':
      return { body: gzipSync(body), header: 'gzip' };
    case 'deflate':
      return { body: deflateSync(body), header: 'deflate' };
    case 'br':
      return { body: brotliCompressSync(body), header: 'br' };
    case 'gzip-corrupt':
      return { body: gzipSync(body).subarray(0, 12), header: 'gzip' };
    case 'deflate-corrupt':
      return { body, header: 'deflate' };
    case 'br-corrupt':
      return { body: Buffer.concat([Buffer.from([0xff, 0xff]), body]), header: 'br' };
    default:
      return { body, header: encoding };
  }
}
