import { openApiDocument } from './openapi.js';

type Schema = Record<string, unknown>;
const document = openApiDocument as unknown as {
  paths: Record<
    string,
    Record<
      string,
      {
        parameters?: { name: string; in: string; schema: Schema }[];
        requestBody?: { content: Record<string, { schema: Schema }> };
      }
    >
  >;
  components: { schemas: Record<string, Schema> };
};

/** Resolves `#/components/schemas/...` references (nested paths included) of the document. */
function resolve(schema: Schema): Schema {
  const ref = schema.$ref;
  if (typeof ref !== 'string') return schema;
  const target = ref
    .replace('#/', '')
    .split('/')
    .reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], document);
  return resolve(target as Schema);
}

/** Pointers of string schemas without a maxLength (an enum or const bounds itself). */
function unboundedStrings(schema: Schema, at: string): string[] {
  const s = resolve(schema);
  const types = ([] as unknown[]).concat(s.type ?? []);
  const found: string[] = [];
  if (types.includes('string') && s.maxLength === undefined && s.enum === undefined && s.const === undefined)
    found.push(at);
  for (const [name, child] of Object.entries((s.properties ?? {}) as Record<string, Schema>))
    found.push(...unboundedStrings(child, `${at}/${name}`));
  for (const key of ['items', 'additionalProperties', 'propertyNames'] as const)
    if (typeof s[key] === 'object') found.push(...unboundedStrings(s[key] as Schema, `${at}/${key}`));
  for (const key of ['oneOf', 'anyOf', 'allOf'] as const)
    for (const [i, child] of ((s[key] ?? []) as Schema[]).entries())
      found.push(...unboundedStrings(child, `${at}/${key}/${i}`));
  return found;
}

describe('request schemas of the OpenAPI document', () => {
  it('bound the length of every string in every body and query parameter', () => {
    const unbounded = Object.entries(document.paths).flatMap(([path, item]) =>
      Object.entries(item).flatMap(([method, op]) => [
        ...(op.parameters ?? [])
          // Path parameters are checked by their routes (uuidParam), never stored as given.
          .filter((p) => p.in === 'query')
          .flatMap((p) => unboundedStrings(p.schema, `${method} ${path} ?${p.name}`)),
        ...Object.values(op.requestBody?.content ?? {}).flatMap((m) =>
          unboundedStrings(m.schema, `${method} ${path} body`),
        ),
      ]),
    );
    expect(unbounded).toEqual([]);
  });
});
