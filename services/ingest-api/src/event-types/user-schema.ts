import { Ajv, type AnySchemaObject, type Options, type ValidateFunction } from 'ajv';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { toProblems } from '../http/ajv.js';
import type { FieldProblem } from '../http/api-error.js';

type AddFormats = typeof addFormatsModule.default;
const addFormats: AddFormats =
  (addFormatsModule as unknown as { default?: AddFormats }).default ??
  (addFormatsModule as unknown as AddFormats);

/** Bounds on what an organization may register, so one schema cannot exhaust the ingest API. */
export const USER_SCHEMA_LIMITS = { maxBytes: 64 * 1024, maxDepth: 32, maxPatternLength: 256 } as const;

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
  const fresh = { ...options, validateSchema: false };
  const ajv = isDraft07(schema) ? new Ajv(fresh) : new Ajv2020(fresh);
  addFormats(ajv);
  return ajv;
}

export type UserSchemaResult =
  { ok: true; validate: ValidateFunction } | { ok: false; problems: FieldProblem[] };

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
  if (bounds.length > 0) return { ok: false, problems: bounds };
  // A registered schema passed this check when it was stored; ingest skips it.
  const meta = isDraft07(schema) ? metaValidators.draft07 : metaValidators.draft2020;
  if (!options.registered && !meta.validateSchema(schema)) {
    return { ok: false, problems: toProblems(meta.errors, pointer) };
  }
  try {
    return { ok: true, validate: newAjv(schema).compile(schema) };
  } catch (err) {
    return { ok: false, problems: [{ pointer, message: err instanceof Error ? err.message : String(err) }] };
  }
}

function checkBounds(schema: Record<string, unknown>, pointer: string): FieldProblem[] {
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
  return problems;
}

// Patterns run on every payload of the type: long ones are where catastrophic backtracking hides.
function walk(value: unknown, pointer: string, depth: number, problems: FieldProblem[]): void {
  if (typeof value !== 'object' || value === null) return;
  if (depth > USER_SCHEMA_LIMITS.maxDepth) {
    problems.push({ pointer, message: `nests deeper than ${USER_SCHEMA_LIMITS.maxDepth} levels` });
    return;
  }
  for (const [key, child] of Object.entries(value)) {
    const childPointer = `${pointer}/${key.replaceAll('~', '~0').replaceAll('/', '~1')}`;
    if (
      key === 'pattern' &&
      typeof child === 'string' &&
      child.length > USER_SCHEMA_LIMITS.maxPatternLength
    ) {
      problems.push({
        pointer: childPointer,
        message: `is longer than ${USER_SCHEMA_LIMITS.maxPatternLength} characters`,
      });
    }
    if (key === 'patternProperties' && typeof child === 'object' && child !== null) {
      for (const p of Object.keys(child)) {
        if (p.length > USER_SCHEMA_LIMITS.maxPatternLength) {
          problems.push({
            pointer: childPointer,
            message: `has a pattern longer than ${USER_SCHEMA_LIMITS.maxPatternLength} characters`,
          });
        }
      }
    }
    walk(child, childPointer, depth + 1, problems);
  }
}
