/**
 * What a hostile organization sends to hurt its neighbours, in one place for the suites that
 * prove it cannot (the noisy-neighbour test, the chaos suite's poison round): values the JSON
 * Schema of the envelope lets through but that Date or Postgres cannot hold, hostile strings in
 * every field, a backtracking schema and a receiver answer that is not storable text.
 */

/** `payload.marker` of every poison item: none of them may ever be stored. */
export const POISON_MARKER = 'poison';

/** `payload.marker` of the good events the attacker mixes in (into batches, and to its endpoint). */
export const GOOD_MARKER = 'good';

/**
 * What the API must answer a request: a 4xx problem with its stable code and a field pointer, or
 * the one event taken (202), or one result per item of a batch (207) refusing exactly the items
 * `rejected` names and taking the others.
 */
export type PoisonExpectation =
  | { status: 422; code: 'validation_failed' | 'invalid_schema'; pointer: string }
  | { status: 202 }
  | { status: 207; items: number; rejected: { index: number; pointer: string }[] };

export interface PoisonRequest {
  name: string;
  path: '/api/events' | '/api/events/batch';
  /** Raw JSON text: JSON.stringify cannot write `1e309`, and the escapes stay visible here. */
  body: string;
  expect: PoisonExpectation;
  /** The answer is not awaited longer (the catalogue's default is the sender's). */
  timeoutMs?: number;
}

/**
 * Timestamps that the `date-time` format accepts but Date or Postgres cannot hold: a leap second
 * (Date.parse gives NaN), and years an offset pushes out of 1 to 9999.
 */
export const UNSTORABLE_OCCURRED_AT = [
  '2026-12-31T23:59:60Z',
  '0000-01-01T00:00:00+01:00',
  '9999-12-31T23:59:59-01:00',
] as const;

const poisonPayload = `{"marker":"${POISON_MARKER}"}`;

/** One poison envelope (as JSON text) with `fields` (JSON text, e.g. `"dedup_id":"a\u0000"`) added. */
function poisonEvent(type: string, fields = '', payload = poisonPayload): string {
  return `{"type":"${type}","payload":${payload}${fields ? `,${fields}` : ''}}`;
}

/**
 * Every poison request of the catalogue, each with the answer it must get. `round` makes the good
 * items' dedup_ids unique, so that the catalogue can be sent again and again.
 */
export function poisonRequests(type: string, round: number): PoisonRequest[] {
  const good = (n: number) =>
    `{"type":"${type}","dedup_id":"good-${round}-${n}","payload":{"marker":"${GOOD_MARKER}","n":${n}}}`;
  const single = (name: string, body: string, pointer: string): PoisonRequest => ({
    name,
    path: '/api/events',
    body,
    expect: { status: 422, code: 'validation_failed', pointer },
  });
  const batch = (name: string, items: string[], rejected: number, pointer: string): PoisonRequest => ({
    name,
    path: '/api/events/batch',
    body: `{"events":[${items.join(',')}]}`,
    expect: {
      status: 207,
      items: items.length,
      rejected: [{ index: rejected, pointer: `/events/${rejected}${pointer}` }],
    },
  });
  const [leapSecond, yearZero, yearTenThousand] = UNSTORABLE_OCCURRED_AT;
  return [
    ...UNSTORABLE_OCCURRED_AT.map((at) =>
      single(`occurred_at ${at}`, poisonEvent(type, `"occurred_at":"${at}"`), '/occurred_at'),
    ),
    single(
      'occurred_at with a NUL',
      poisonEvent(type, '"occurred_at":"2026-01-01T00:00:00Z\\u0000"'),
      '/occurred_at',
    ),
    single('type with a NUL', poisonEvent(`${type}\\u0000x`), '/type'),
    single('type with a lone surrogate', poisonEvent(`${type}\\ud800`), '/type'),
    single('type of 10,000 characters', poisonEvent('a'.repeat(10_000)), '/type'),
    single('dedup_id with a NUL', poisonEvent(type, '"dedup_id":"d\\u0000"'), '/dedup_id'),
    single('dedup_id with a lone surrogate', poisonEvent(type, '"dedup_id":"d\\ud800"'), '/dedup_id'),
    single(
      'payload key with a NUL',
      poisonEvent(type, '', `{"marker":"${POISON_MARKER}","k\\u0000":1}`),
      '/payload',
    ),
    single(
      'payload value with a lone surrogate',
      poisonEvent(type, '', `{"marker":"${POISON_MARKER}","v":"\\udc00x"}`),
      '/payload',
    ),
    single(
      'payload number 1e309',
      poisonEvent(type, '', `{"marker":"${POISON_MARKER}","n":1e309}`),
      '/payload',
    ),
    single(
      'payload integer 9007199254740993',
      poisonEvent(type, '', `{"marker":"${POISON_MARKER}","n":9007199254740993}`),
      '/payload',
    ),
    batch(
      'batch with a leap second among good events',
      [good(0), poisonEvent(type, `"occurred_at":"${leapSecond}"`), good(1)],
      1,
      '/occurred_at',
    ),
    batch(
      'batch with year 0 first',
      [poisonEvent(type, `"occurred_at":"${yearZero}"`), good(2), good(3)],
      0,
      '/occurred_at',
    ),
    batch(
      'batch with year 10000 last',
      [good(4), good(5), poisonEvent(type, `"occurred_at":"${yearTenThousand}"`)],
      2,
      '/occurred_at',
    ),
    batch(
      'batch with a NUL dedup_id',
      [good(6), poisonEvent(type, '"dedup_id":"\\u0000"'), good(7)],
      1,
      '/dedup_id',
    ),
  ];
}

/** A JSON Schema whose `pattern` backtracks catastrophically on a backtracking engine. */
export const BACKTRACKING_SCHEMA = {
  type: 'object',
  properties: { s: { type: 'string', pattern: '^(a+)+$' } },
} as const;

/** A value of `s` that the backtracking pattern needs minutes to refuse (2^34 paths); linear engines refuse it at once. */
export const BACKTRACKING_VALUE = `${'a'.repeat(34)}!`;

/**
 * The event whose `s` makes the backtracking pattern run for minutes, sent as `type`, registered
 * with BACKTRACKING_SCHEMA when `schemaTaken`: then it must be refused (in linear time); else it is
 * an ordinary event (a good one: nothing refuses it). Its answer is awaited 2 s at most: a
 * backtracking engine would take minutes, and the victim's latency says what that cost.
 */
export function backtrackingRequest(type: string, schemaTaken: boolean): PoisonRequest {
  const marker = schemaTaken ? POISON_MARKER : GOOD_MARKER;
  return {
    name: 'payload matching the backtracking pattern',
    path: '/api/events',
    body: JSON.stringify({ type, payload: { marker, s: BACKTRACKING_VALUE } }),
    expect: schemaTaken ? { status: 422, code: 'validation_failed', pointer: '/payload/s' } : { status: 202 },
    timeoutMs: 2000,
  };
}

/**
 * A receiver's 200 body that is not storable text: NUL bytes and bytes that are not UTF-8 (a lone
 * continuation byte, an invalid lead byte, a truncated sequence).
 */
export const HOSTILE_RESPONSE_BODY: Uint8Array = Uint8Array.from([
  ...Buffer.from('ok\u0000'),
  0x00,
  0xff,
  0xfe,
  0x80,
  0xc3,
  0x28,
  ...Buffer.from('\u0000end'),
  0xe2,
  0x82,
]);
