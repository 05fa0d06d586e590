import type { Ajv, KeywordDefinition, SchemaValidateFunction } from 'ajv';

// ajv's own uniqueItems compares every pair of items with a deep equality when the items may be
// objects or arrays: n²/2 comparisons, seconds of one shared event loop for an array of a few
// thousand objects that a 256 KiB body easily holds. This one writes each item once in a canonical
// form (object keys sorted, so key order does not matter, as JSON Schema's equality says) and looks
// it up in a set: time linear in the array's size, plus the sorting of each object's keys.

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const keys = Object.keys(value).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

const validate: SchemaValidateFunction = (schema: boolean, data: unknown[], _parent, dataCxt) => {
  if (!schema) return true;
  const seen = new Map<string, number>();
  for (const [i, item] of data.entries()) {
    const form = canonical(item);
    const j = seen.get(form);
    if (j !== undefined) {
      validate.errors = [
        {
          keyword: 'uniqueItems',
          // The array's own path: ajv fills in only a path left undefined, which the type forbids.
          instancePath: dataCxt?.instancePath ?? '',
          // ajv always sets it to this keyword's place in the schema.
          schemaPath: '',
          params: { i, j },
          message: `must NOT have duplicate items (items ## ${j} and ${i} are identical)`,
        },
      ];
      return false;
    }
    seen.set(form, i);
  }
  return true;
};

const definition: KeywordDefinition = {
  keyword: 'uniqueItems',
  type: 'array',
  schemaType: 'boolean',
  errors: true,
  validate,
};

/** Replaces ajv's quadratic `uniqueItems` with one linear in the array's size. */
export function useLinearUniqueItems(ajv: Pick<Ajv, 'removeKeyword' | 'addKeyword'>): void {
  ajv.removeKeyword('uniqueItems');
  ajv.addKeyword(definition);
}
