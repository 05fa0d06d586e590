import {
  STORABLE_TIME_RANGE,
  toStorableDate,
  toStorableText,
  unstorableNumber,
  unstorableText,
} from './storable.js';

describe('storable values', () => {
  it('refuses NUL characters and lone surrogates in text, and accepts the rest of Unicode', () => {
    expect(unstorableText('a\u0000b')).toMatch(/NUL/);
    expect(unstorableText('a\ud800')).toMatch(/surrogate/);
    expect(unstorableText('Zoë 🚀 \u2028')).toBeUndefined();
  });

  it('refuses numbers that JSON cannot carry exactly', () => {
    expect(unstorableNumber(Infinity)).toBeDefined();
    expect(unstorableNumber(2 ** 53)).toBeDefined();
    expect(unstorableNumber(2 ** 53 - 1)).toBeUndefined();
    expect(unstorableNumber(123.456)).toBeUndefined();
    // The parsed value cannot tell 9007199254740993 (rounded) from 1e16 (exact): every integer past 2^53 is refused.
    expect(unstorableNumber(1e16)).toBeDefined();
  });

  it('reads dates inside years 1 to 9999 and refuses leap seconds and years an offset pushes out', () => {
    expect(toStorableDate('2026-12-07T10:00:00+02:00')?.toISOString()).toBe('2026-12-07T08:00:00.000Z');
    expect(toStorableDate('2026-12-31T23:59:60Z')).toBeUndefined();
    expect(toStorableDate('0001-01-01T00:30:00+01:00')).toBeUndefined();
    expect(toStorableDate('9999-12-31T23:59:59-01:00')).toBeUndefined();
    expect(toStorableDate('0001-01-01T00:00:00Z')?.getTime()).toBe(STORABLE_TIME_RANGE.min);
  });

  it('makes outside text storable: NUL escaped, surrogates replaced, cut without splitting a pair', () => {
    expect(toStorableText('a\u0000b', 100)).toBe('a\\u0000b');
    expect(toStorableText('\udc00x', 100)).toBe('\ufffdx');
    expect(toStorableText('ab😀', 3)).toBe('ab');
    expect(unstorableText(toStorableText('\u0000\ud800😀'.repeat(50), 101))).toBeUndefined();
  });
});
