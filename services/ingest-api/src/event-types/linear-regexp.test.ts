import { linearRegExp, nonLinearPattern } from './linear-regexp.js';

describe('linearRegExp', () => {
  it('matches anywhere in the string, as JSON Schema patterns do', () => {
    expect(linearRegExp('b+', 'u').test('abbbc')).toBe(true);
    expect(linearRegExp('^b+$', 'u').test('abbbc')).toBe(false);
    expect(linearRegExp('^[a-z]+\\.[a-z]+$', 'u').test('order.created')).toBe(true);
  });

  it('reads JavaScript syntax: named groups, \\u escapes, Unicode classes, case-insensitive flag', () => {
    expect(linearRegExp('^(?<year>\\d{4})-\\u0041$', 'u').test('2026-A')).toBe(true);
    expect(linearRegExp('^\\p{L}+$', 'u').test('Zoë')).toBe(true);
    expect(linearRegExp('^abc$', 'iu').test('ABC')).toBe(true);
  });

  it('answers a catastrophic-backtracking pattern on the input that froze the API', () => {
    // A backtracking engine takes minutes here (2^34 paths); RE2 reads the string once.
    expect(linearRegExp('^(a+)+$', 'u').test(`${'a'.repeat(34)}!`)).toBe(false);
    expect(linearRegExp('^(a+)+$', 'u').test(`${'a'.repeat(100_000)}!`)).toBe(false);
    expect(linearRegExp('^(a+)+$', 'u').test('a'.repeat(100_000))).toBe(true);
  });

  it('refuses to compile what needs backtracking', () => {
    expect(() => linearRegExp('(a)\\1', 'u')).toThrow(/linear time/);
  });
});

describe('nonLinearPattern', () => {
  it.each([
    ['a numbered backreference', '(a+)\\1'],
    ['a named backreference', '(?<x>a)\\k<x>'],
    ['a lookahead', '^(?=.*\\d).+$'],
    ['a negative lookahead', '^(?!admin).*$'],
    ['a lookbehind', '(?<=\\$)\\d+'],
  ])('names %s as unsupported', (_what, pattern) => {
    expect(nonLinearPattern(pattern)).toMatch(/linear time/);
  });

  it('names an invalid regular expression as such', () => {
    expect(nonLinearPattern('(a')).toMatch(/not a valid regular expression/);
  });

  it('accepts the patterns schemas ordinarily use, a literal "\\k" included', () => {
    for (const pattern of ['^[A-Z]{3}$', '^\\d+(\\.\\d{1,2})?$', '^(a+)+$', '^\\\\k$', '[^@]+@[^@]+']) {
      expect(nonLinearPattern(pattern)).toBeUndefined();
    }
  });
});
