/** Building blocks of the OpenAPI document's path files. */

export const timestamp = { type: 'string', format: 'date-time' } as const;
export const nullableTimestamp = { type: ['string', 'null'], format: 'date-time' } as const;
export const uuid = { type: 'string', format: 'uuid' } as const;

export const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });

/** A JSON body or response of a named schema, with an example. */
export const json = (schema: string, example?: unknown) => ({
  'application/json': { schema: ref(schema), ...(example === undefined ? {} : { example }) },
});

const PROBLEM_STATUS = {
  BadRequest: '400',
  InvalidQuery: '400',
  Unauthorized: '401',
  NotFound: '404',
  Conflict: '409',
  PayloadTooLarge: '413',
  UnsupportedMediaType: '415',
  ValidationFailed: '422',
  RateLimited: '429',
  Unavailable: '503',
} as const;

export type ProblemName = keyof typeof PROBLEM_STATUS;

/** `#/components/responses/<name>` entries by status. */
export const problems = (...names: ProblemName[]) =>
  Object.fromEntries(names.map((n) => [PROBLEM_STATUS[n], { $ref: `#/components/responses/${n}` }]));

/** The problems every request with a JSON body may get. */
export const bodyProblems = [
  'BadRequest',
  'PayloadTooLarge',
  'UnsupportedMediaType',
  'ValidationFailed',
] as const;

export const idParam = (name: string, description?: string) => ({
  name,
  in: 'path',
  required: true,
  ...(description === undefined ? {} : { description }),
  schema: { type: 'string', format: 'uuid' },
});

/** Query parameters generated from the very query schema the route enforces. */
export function queryParameters(schema: { properties: Record<string, object> }) {
  return Object.entries(schema.properties).map(([name, property]) => {
    const { description, ...rest } = property as { description?: string };
    return { name, in: 'query', required: false, ...(description ? { description } : {}), schema: rest };
  });
}

/** A listing's envelope around items of `item`. */
export const page = (item: string) => ({
  type: 'object',
  additionalProperties: false,
  required: ['data', 'next_cursor', 'has_more'],
  properties: {
    data: { type: 'array', items: ref(item) },
    next_cursor: {
      type: ['string', 'null'],
      description: 'Pass as `cursor` for the next page; null on the last page.',
    },
    has_more: { type: 'boolean' },
  },
});

/** Objects of the document are closed: a response field not documented is a conformance failure. */
export const closed = (required: string[], properties: Record<string, unknown>, description?: string) => ({
  type: 'object',
  additionalProperties: false,
  required,
  properties,
  ...(description === undefined ? {} : { description }),
});
