import { Ajv, type ErrorObject } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { errors, type FieldProblem } from './api-error.js';

// ajv-formats is CommonJS with a default export; under NodeNext its callable sits on `.default`.
type AddFormats = typeof addFormatsModule.default;
const addFormats: AddFormats =
  (addFormatsModule as unknown as { default?: AddFormats }).default ??
  (addFormatsModule as unknown as AddFormats);

/** The API's one ajv instance: every request schema is compiled once, at start. */
export const ajv = new Ajv({ allErrors: true, strict: true });
addFormats(ajv, ['date-time', 'uri', 'uuid']);

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
