import { Ajv, type AnySchemaObject, type Options, type ValidateFunction } from 'ajv';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { toProblems } from '../http/ajv.js';
import type { FieldProblem } from '../http/api-error.js';
import { linearRegExp, nonLinearPattern } from './linear-regexp.js';
import { pointerToken } from '../http/json-pointer.js';
import { schemaEntries, schemaFanOut } from './schema-fan-out.js';
import { addTenantFormats } from './tenant-formats.js';
import { useLinearUniqueItems } from './unique-items.js';

/** Bounds on what an organization may register, so one schema cannot exhaust the ingest API. */
export const USER_SCHEMA_LIMITS = {
  maxBytes: 64 * 1024,
  maxDepth: 32,
  maxPatternLength: 256,
  /**
   * Checks one payload value below the root may cost (subschemas it meets, names in `required`,
   * values in `enum`, patterns and failing anyOf/oneOf branches weighing more; see
   * schema-fan-out.ts). A 256 KiB body holds ~128k values, so this alone would let the worst
   * schemas take 10 to 40 ms per body: at ingest, a payload may hold only as many values as
   * validation-budget.ts allows for its schema's cost.
   */
  maxFanOut: 256,
  /** Checks the payload's root may cost: there is one root, so unions of many variants fit. */
  maxRootChecks: 4096,
} as const;

const DRAFT_2020 = 'https://json-schema.org/draft/2020-12/schema';
const DRAFT_07 = /^https?:\/\/json-schema\.org\/draft-07\/schema#?$/;

// Strict: unknown keywords and ambiguous schemas are refused at registration rather than silently
// ignored at ingest (`required` naming a property the schema does not describe stays allowed: it is
// common and unambiguous). No `loadSchema`: a reference outside the schema never resolves, and
// nothing is ever fetched.
const options: Options = {
  strict: true,
  strictRequired: false,
  allowUnionTypes: true,
  allErrors: true,
  messages: true,
};

// What runs per payload must take time linear in it: patterns through RE2, formats that match in
// linear time only, and a uniqueItems without ajv's pairwise comparison. And validation stops at the
// first error: with allErrors, an `anyOf` of n branches over an array of 100k items keeps n errors
// per item (gigabytes, for one request); the first error is the one a client needs to fix.
const tenantOptions: Options = {
  ...options,
  allErrors: false,
  validateSchema: false,
  code: { regExp: linearRegExp },
};

const isDraft07 = (schema: AnySchemaObject) =>
  typeof schema.$schema === 'string' && DRAFT_07.test(schema.$schema);

// Checking a schema against its meta-schema needs the meta-schema compiled, which costs ~100 ms:
// these instances do it once and only ever validate schemas, never hold one.
const metaValidators = { draft2020: new Ajv2020(options), draft07: new Ajv(options) };

/**
 * A fresh ajv instance per schema (a few ms): a user's `$id` or anchors then cannot collide with,
 * or be referenced by, another organization's schema, and nothing accumulates in a shared instance.
 */
function newAjv(schema: AnySchemaObject): Ajv | Ajv2020 {
  const ajv = isDraft07(schema) ? new Ajv(tenantOptions) : new Ajv2020(tenantOptions);
  addTenantFormats(ajv);
  useLinearUniqueItems(ajv);
  return ajv;
}

export type UserSchemaResult =
  | {
      ok: true;
      validate: ValidateFunction;
      /** The most checks one value inside a payload can cost (see schema-fan-out.ts). */
      checksPerValue: number;
    }
  | { ok: false; problems: FieldProblem[] };

/**
 * Compiles an organization's JSON Schema (draft 2020-12 by default, or draft-07 when its `$schema`
 * says so), or lists why it cannot be used. `pointer` locates the schema in the request.
 */
export function compileUserSchema(
  schema: Record<string, unknown>,
  options: { pointer?: string; registered?: boolean } = {},
): UserSchemaResult {
  const pointer = options.pointer ?? '/schema';
  const bounds = checkBounds(schema, pointer);
  if (Array.isArray(bounds)) return { ok: false, problems: bounds };
  // A registered schema passed this check when it was stored; ingest skips it.
  const meta = isDraft07(schema) ? metaValidators.draft07 : metaValidators.draft2020;
  if (!options.registered && !meta.validateSchema(schema)) {
    return { ok: false, problems: toProblems(meta.errors, pointer) };
  }
  try {
    return { ok: true, validate: newAjv(schema).compile(schema), checksPerValue: bounds.checksPerValue };
  } catch (err) {
    return { ok: false, problems: [{ pointer, message: err instanceof Error ? err.message : String(err) }] };
  }
}

/** Why the schema exceeds the bounds, or, within them, what one payload value can cost. */
function checkBounds(
  schema: Record<string, unknown>,
  pointer: string,
): FieldProblem[] | { checksPerValue: number } {
  if (JSON.stringify(schema).length > USER_SCHEMA_LIMITS.maxBytes) {
    return [{ pointer, message: `is larger than ${USER_SCHEMA_LIMITS.maxBytes} bytes` }];
  }
  if (
    schema.$schema !== undefined &&
    schema.$schema !== DRAFT_2020 &&
    !DRAFT_07.test(String(schema.$schema))
  ) {
    return [{ pointer: `${pointer}/$schema`, message: `must be ${DRAFT_2020} or draft-07 (or absent)` }];
  }
  const problems: FieldProblem[] = [];
  walk(schema, pointer, 1, problems);
  if (problems.length > 0) return problems;
  const fanOut = schemaFanOut(schema, pointer);
  if ('problem' in fanOut) return [fanOut.problem];
  const what =
    '(each subschema that anyOf, oneOf, allOf, references and nested applicators reach, each name in required, each value in enum, 16 per anyOf or oneOf branch, 32 per pattern or format)';
  if (fanOut.atRoot > USER_SCHEMA_LIMITS.maxRootChecks) {
    return [
      {
        pointer,
        message: `may cost ${fanOut.atRoot} checks for the payload itself ${what}; at most ${USER_SCHEMA_LIMITS.maxRootChecks} are allowed`,
      },
    ];
  }
  if (fanOut.fanOut > USER_SCHEMA_LIMITS.maxFanOut) {
    return [
      {
        pointer,
        message: `may cost ${fanOut.fanOut} checks for one value inside the payload ${what}; at most ${USER_SCHEMA_LIMITS.maxFanOut} are allowed`,
      },
    ];
  }
  return { checksPerValue: fanOut.fanOut };
}

// Patterns run on every payload of the type: each must compile for RE2 (no backreferences, no
// lookaround) and stay short, since RE2's time is linear in the input times the pattern's size.
// `keysAreNames`: `value` maps names to schemas (see schemaEntries), so none of its keys is a keyword.
function walk(
  value: unknown,
  pointer: string,
  depth: number,
  problems: FieldProblem[],
  keysAreNames = false,
): void {
  if (typeof value !== 'object' || value === null) return;
  if (depth > USER_SCHEMA_LIMITS.maxDepth) {
    problems.push({ pointer, message: `nests deeper than ${USER_SCHEMA_LIMITS.maxDepth} levels` });
    return;
  }
  for (const [key, child, childKeysAreNames] of schemaEntries(value, keysAreNames)) {
    const childPointer = `${pointer}/${pointerToken(key)}`;
    if (!keysAreNames && key === 'pattern' && typeof child === 'string') {
      const problem = patternProblem(child);
      if (problem) problems.push({ pointer: childPointer, message: problem });
    }
    if (!keysAreNames && key === 'patternProperties' && typeof child === 'object' && child !== null) {
      for (const p of Object.keys(child)) {
        const problem = patternProblem(p);
        if (problem)
          problems.push({ pointer: `${childPointer}/${pointerToken(p)}`, message: `key ${problem}` });
      }
    }
    walk(child, childPointer, depth + 1, problems, childKeysAreNames);
  }
}

function patternProblem(pattern: string): string | undefined {
  if (pattern.length > USER_SCHEMA_LIMITS.maxPatternLength) {
    return `is longer than ${USER_SCHEMA_LIMITS.maxPatternLength} characters`;
  }
  return nonLinearPattern(pattern);
}
