import type { RegExpEngine, RegExpLike } from 'ajv/dist/types/index.js';
import { RE2JS } from 're2js';

// Tenant patterns run on the one event loop every organization shares: a backtracking engine lets
// one pattern such as `^(a+)+$` hold it for minutes on a 35-character string. RE2 matches in time
// linear in the input (times the pattern's size, which registration bounds), at the price of
// refusing backreferences and lookaround, the two features that need backtracking.

/** Why `pattern` cannot be matched in linear time, or undefined when it can. */
export function nonLinearPattern(pattern: string): string | undefined {
  try {
    // JSON Schema patterns are ECMA-262 regular expressions, as ajv reads them (Unicode mode).
    new RegExp(pattern, 'u');
  } catch (err) {
    return `is not a valid regular expression (${(err as Error).message})`;
  }
  // In Unicode mode `\k` is only ever a named backreference; RE2JS's translation would read it
  // as a literal "k", silently changing what the pattern means.
  if (/(?:^|[^\\])(?:\\\\)*\\k/.test(pattern)) {
    return 'uses a backreference, which cannot be matched in linear time';
  }
  try {
    RE2JS.compile(RE2JS.translateRegExp(pattern));
    return undefined;
  } catch (err) {
    return `cannot be matched in linear time: backreferences and lookaround are not supported (${(err as Error).message})`;
  }
}

/**
 * ajv's `code.regExp` engine for tenant schemas: RE2 (pure JavaScript), so `pattern`,
 * `patternProperties` and the formats built on it match in linear time. JSON Schema patterns are
 * not anchored: `test` finds a match anywhere, as a JavaScript RegExp's would. Throws, so the schema
 * does not compile, when the pattern needs backtracking (registration reports it first, with its
 * place in the schema).
 */
export const linearRegExp: RegExpEngine = Object.assign(
  (pattern: string, flags: string): RegExpLike => {
    const problem = nonLinearPattern(pattern);
    if (problem) throw new Error(`pattern "${pattern}" ${problem}`);
    const re = RE2JS.compile(
      RE2JS.translateRegExp(pattern),
      flags.includes('i') ? RE2JS.CASE_INSENSITIVE : 0,
    );
    // ajv shares compiled patterns within a schema by their string form, as a RegExp's would read.
    const like: RegExpLike & { toString(): string } = {
      test: (s: string) => re.test(s),
      toString: () => `/${pattern}/${flags}`,
    };
    return like;
  },
  // Only read by ajv's standalone code generation, which tenant schemas never use.
  { code: 're2js:linearRegExp' },
);

/** A format's regular expression, recompiled for RE2 (`i` is the only flag the formats use). */
export function linearFormat(re: RegExp): RegExpLike {
  return linearRegExp(re.source, re.flags);
}
