/**
 * What Postgres can store, in one place. Every value a tenant sends passes these rules before it
 * reaches a query, a cache or a statement shared with other tenants' rows; what comes back from a
 * receiver (a response body, an error text) is made storable with `toStorableText` instead.
 */

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Is `value` a uuid in the plain form Postgres reads (`urn:uuid:` and braces refused)? Checked
 * before a value is sent as a uuid: one malformed id fails every row of the statement carrying it.
 */
export function isUuid(value: string): boolean {
  return UUID.test(value);
}

/** The instants both a JavaScript Date and a Postgres timestamptz hold: years 1 to 9999, UTC. */
export const STORABLE_TIME_RANGE = {
  min: Date.parse('0001-01-01T00:00:00.000Z'),
  max: Date.parse('9999-12-31T23:59:59.999Z'),
} as const;

/** Why a string cannot be stored in a Postgres text or jsonb value; undefined when it can. */
export function unstorableText(value: string): string | undefined {
  if (value.includes('\u0000')) return 'contains a NUL character (\\u0000)';
  if (!value.isWellFormed()) return 'contains a lone UTF-16 surrogate';
  return undefined;
}

/**
 * Why a number cannot travel through JSON unchanged: infinite (`1e309` parses as Infinity, which
 * JSON.stringify writes as null) or an integer past 2^53. The parsed value cannot tell a rounded
 * `9007199254740993` from an exact `1e16`, so every integer past 2^53 is refused, in any notation.
 */
export function unstorableNumber(value: number): string | undefined {
  if (!Number.isFinite(value)) return 'is a number too large to represent (it would be stored as null)';
  if (Number.isInteger(value) && !Number.isSafeInteger(value)) {
    return 'is an integer beyond 2^53, which JSON numbers cannot carry exactly (send it as a string)';
  }
  return undefined;
}

/**
 * A timestamp string as a Date, when it names an instant that both Date and Postgres hold; else
 * undefined. Formats that a JSON Schema `date-time` accepts but Date cannot read (a leap second
 * `23:59:60`) and years that an offset pushes out of 1–9999 are refused here, per value, never
 * inside a statement.
 */
export function toStorableDate(value: string): Date | undefined {
  const ms = Date.parse(value);
  if (Number.isNaN(ms) || ms < STORABLE_TIME_RANGE.min || ms > STORABLE_TIME_RANGE.max) return undefined;
  return new Date(ms);
}

/** What `toStorableDate` refuses, as a sentence for a problem document. */
export const UNSTORABLE_DATE_MESSAGE =
  'must be a date-time between 0001-01-01T00:00:00Z and 9999-12-31T23:59:59.999Z';

/**
 * Text from outside (a receiver's answer) made storable: NUL characters written as the six
 * characters `\u0000`, lone surrogates replaced by U+FFFD, and at most `maxChars` UTF-16 units
 * kept, never splitting a surrogate pair.
 */
export function toStorableText(value: string, maxChars: number): string {
  let text = value.toWellFormed().replaceAll('\u0000', '\\u0000');
  if (text.length > maxChars) {
    text = text.slice(0, maxChars);
    // A pair cut in two leaves a lone high surrogate at the end.
    if (!text.isWellFormed()) text = text.slice(0, -1);
  }
  return text;
}
