import { Ajv, type ErrorObject, type FormatDefinition } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { toStorableDate, unstorableNumber, unstorableText, UNSTORABLE_DATE_MESSAGE } from '@triggers/db';
import { errors, type FieldProblem } from './api-error.js';
import { checkStorableJson } from './storable-json.js';

// ajv-formats is CommonJS with a default export; under NodeNext its callable sits on `.default`.
type AddFormats = typeof addFormatsModule.default;
const addFormats: AddFormats =
  (addFormatsModule as unknown as { default?: AddFormats }).default ??
  (addFormatsModule as unknown as AddFormats);

const rfc3339 = addFormats.get('date-time') as FormatDefinition<string> & {
  validate: (value: string) => boolean;
};

/**
 * `format: 'date-time'` in every schema of the API means a storable one: RFC 3339 (which allows a
 * leap second `23:59:60` that Date cannot read, and offsets that push year 0001 or 9999 out of
 * range) and an instant that both Date and Postgres hold. So a date that passes validation always
 * converts with `toStorableDate`, and none reaches a query as Invalid Date.
 */
export const storableDateTime: FormatDefinition<string> = {
  type: 'string',
  validate: (value) => rfc3339.validate(value) && toStorableDate(value) !== undefined,
  ...(rfc3339.compare ? { compare: rfc3339.compare } : {}),
};

/** The API's one ajv instance: every request schema is compiled once, at start. */
export const ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true });
addFormats(ajv, ['uri', 'uuid']);
ajv.addFormat('date-time', storableDateTime);

/**
 * A second instance for query strings, whose values all arrive as strings: it coerces them to the
 * schema's types (`limit=10` to 10) and, with `useDefaults`, fills in defaults.
 */
const queryAjv = new Ajv({ allErrors: true, strict: true, coerceTypes: true, useDefaults: true });
addFormats(queryAjv, ['uuid']);
queryAjv.addFormat('date-time', storableDateTime);

/** ajv errors as JSON pointers and sentences a client developer can act on. */
export function toProblems(errors: ErrorObject[] | null | undefined, prefix: string): FieldProblem[] {
  return (errors ?? []).map((e) => {
    const pointer = prefix + e.instancePath;
    if (e.keyword === 'additionalProperties') {
      return {
        pointer: pointer || '/',
        message: `unknown property "${String(e.params.additionalProperty)}"`,
      };
    }
    if (e.keyword === 'required') {
      return { pointer: `${pointer}/${String(e.params.missingProperty)}`, message: 'is required' };
    }
    if (e.keyword === 'format' && e.params.format === 'date-time') {
      return { pointer: pointer || '/', message: UNSTORABLE_DATE_MESSAGE };
    }
    return { pointer: pointer || '/', message: e.message ?? 'is invalid' };
  });
}

/**
 * A compiled validator that returns the typed body or throws 422 listing every problem. Every body
 * also passes the storability rule (`checkStorableJson`: NUL, lone surrogates, numbers JSON cannot
 * carry, depth), here rather than in each route, so that no route can forget it.
 */
export function bodyValidator<T>(schema: object): (body: unknown) => T {
  const validate = ajv.compile<T>(schema);
  return (body) => {
    const unstorable = checkStorableJson(body, '');
    if (validate(body) && !unstorable) return body;
    const problems = toProblems(validate.errors, '');
    if (unstorable) problems.unshift({ ...unstorable, pointer: unstorable.pointer || '/' });
    throw errors.validationFailed(problems);
  };
}

/** Why each query parameter's value cannot be stored or carried, by the body's rule. */
function unstorableParameters(query: Record<string, unknown>): FieldProblem[] {
  return Object.entries(query).flatMap(([name, value]) => {
    const values: unknown[] = Array.isArray(value) ? value : [value];
    const message = values
      .map((v) =>
        typeof v === 'string' ? unstorableText(v) : typeof v === 'number' ? unstorableNumber(v) : undefined,
      )
      .find((m) => m !== undefined);
    return message === undefined ? [] : [{ pointer: `/${name}`, message }];
  });
}

/**
 * A compiled validator of `req.query` that returns the typed, coerced query or throws 400
 * `invalid_query` naming each bad parameter.
 */
export function queryValidator<T>(schema: object): (query: unknown) => T {
  const validate = queryAjv.compile<T>(schema);
  return (query) => {
    // Validation coerces in place: work on a copy, never on the request's own object.
    const copy = { ...(query as Record<string, unknown>) };
    const valid = validate(copy);
    // After coercion: ajv turns "1e309" and "Infinity" into ±Infinity and then lets them through
    // integer, minimum and maximum alike.
    const unstorable = unstorableParameters(copy);
    if (valid && unstorable.length === 0) return copy as T;
    const problems = [
      ...toProblems(validate.errors, '').map((p) => ({
        pointer: p.pointer,
        message: p.message.replace(/^unknown property/, 'unknown parameter'),
      })),
      ...unstorable,
    ];
    throw errors.invalidQuery(
      problems.map((p) => `${p.pointer.slice(1) || 'query'} ${p.message}`).join('; '),
      problems,
    );
  };
}

/**
 * A `date-time` that a validator of this file has passed, as a Date (undefined stays undefined). The format guarantees the
 * conversion; a value that was never validated is a bug, never a query with an Invalid Date.
 */
export function validatedDate(value: string | undefined): Date | undefined {
  if (value === undefined) return undefined;
  const date = toStorableDate(value);
  if (!date) throw new Error(`date-time "${value.slice(0, 64)}" was not validated as storable`);
  return date;
}
