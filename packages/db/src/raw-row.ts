/** `organizationId` → `organization_id`: a camelCase name as Postgres spells the column. */
type SnakeCase<Name extends string> = Name extends `${infer Head}${infer Tail}`
  ? `${Head extends Lowercase<Head> ? Head : `_${Lowercase<Head>}`}${SnakeCase<Tail>}`
  : Name;

/**
 * A row as postgres.js returns it (snake_case columns), for statements written in SQL rather than
 * through kysely, whose CamelCasePlugin converts names itself. Derived from the camelCase type the
 * query returns, so that the two cannot drift apart.
 */
export type RawRow<Row> = { [Key in keyof Row & string as SnakeCase<Key>]: Row[Key] };
