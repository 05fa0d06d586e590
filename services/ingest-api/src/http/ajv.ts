import { Ajv, type ErrorObject } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { errors, type FieldProblem } from './api-error.js';

// ajv-formats is CommonJS with a default export; under NodeNext its callable sits on `.default`.
type AddFormats = typeof addFormatsModule.default;
const addFormats: AddFormats =
  (addFormatsModule as unknown as { default?: AddFormats }).default ??
  (addFormatsModule as unknown as AddFormats);

/** The API's one ajv instance: every request schema is compiled once, at start. */
export const ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true });
addFormats(ajv, ['date-time', 'uri', 'uuid']);

/**
 * A second instance for query strings, whose values all arrive as strings: it coerces them to the
 * schema's types (`limit=10` to 10) and, with `useDefaults`, fills in defaults.
 */
const queryAjv = new Ajv({ allErrors: true, strict: true, coerceTypes: true, useDefaults: true });
addFormats(queryAjv, ['date-time', 'uuid']);

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
    return { pointer: pointer || '/', message: e.message ?? 'is invalid' };
  });
}

/** A compiled validator that returns the typed body or throws 422 listing every problem. */
export function bodyValidator<T>(schema: object): (body: unknown) => T {
  const validate = ajv.compile<T>(schema);
  return (body) => {
    if (validate(body)) return body;
    throw errors.validationFailed(toProblems(validate.errors, ''));
  };
}

/**
 * A compiled validator of `req.query` that returns the typed, coerced query or throws 400
 * `invalid_query` naming each bad parameter.
 */
export function queryValidator<T>(schema: object): (query: unknown) => T {
  const validate = queryAjv.compile<T>(schema);
  return (query) => {
    // Validation coerces in place: work on a copy, never on the request's own object.
    const copy: unknown = { ...(query as object) };
    const valid = validate(copy);
    // ajv coerces "1e309" and "Infinity" to ±Infinity and then lets them through integer, minimum
    // and maximum alike; no parameter of ours takes an infinite number.
    const infinite = Object.entries(copy as Record<string, unknown>)
      .filter(([, value]) => typeof value === 'number' && !Number.isFinite(value))
      .map(([name]) => ({ pointer: `/${name}`, message: 'must be a finite number' }));
    if (valid && infinite.length === 0) return copy as T;
    const problems = [
      ...toProblems(validate.errors, '').map((p) => ({
        pointer: p.pointer,
        message: p.message.replace(/^unknown property/, 'unknown parameter'),
      })),
      ...infinite,
    ];
    throw errors.invalidQuery(
      problems.map((p) => `${p.pointer.slice(1) || 'query'} ${p.message}`).join('; '),
      problems,
    );
  };
}
