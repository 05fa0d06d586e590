import { z } from 'zod';

/** Environment variables as a process receives them. */
export type Environment = Record<string, string | undefined>;

/** Thrown when the environment does not describe a valid configuration; lists every problem at once. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/**
 * Validates `env` against a zod object whose keys are environment variable names, so each problem
 * names the variable a person has to fix. A problem between variables (see `withRules`) has no
 * single variable: its message names them.
 */
export function parseEnv<S extends z.ZodObject>(schema: S, env: Environment): z.infer<S> {
  const result = schema.safeParse(env);
  if (result.success) return result.data;
  throw new ConfigError(
    result.error.issues.map((issue) => {
      if (issue.path.length === 0) return issue.message;
      const name = issue.path.join('.');
      const value = issue.path.length === 1 ? env[String(issue.path[0])] : undefined;
      return value === undefined
        ? `${name}: ${issue.message}`
        : `${name}=${JSON.stringify(value)}: ${issue.message}`;
    }),
  );
}

/** An empty variable counts as unset, as shells and orchestrators often set them that way. */
const unsetWhenEmpty = (v: unknown) => (v === '' ? undefined : v);

/**
 * Field parsers for environment variables, which always arrive as strings. Each default is a zod
 * `.default()`, so the schema itself holds it for the docs, `.env.example` and tooling to read.
 */
export const env = {
  /** An integer within [min, max], with a default when the variable is unset or empty. */
  int: (fallback: number, min = 0, max = Number.MAX_SAFE_INTEGER) =>
    z.preprocess(
      unsetWhenEmpty,
      z.coerce
        // Only for a value that is not a number: an error set on the schema would replace the
        // messages of the checks below too.
        .number({ error: (issue) => (issue.code === 'invalid_type' ? 'must be a number' : undefined) })
        .int('must be an integer')
        .min(min, `must be at least ${min}`)
        .max(max, `must be at most ${max}`)
        .default(fallback),
    ),
  /** `true`/`false`/`1`/`0`/`yes`/`no`, with a default. */
  bool: (fallback: boolean) =>
    z.preprocess(
      (v) => (v === undefined || v === '' ? undefined : String(v).toLowerCase()),
      z
        .enum(['true', 'false', '1', '0', 'yes', 'no'], { error: 'must be true or false' })
        .default(String(fallback) as 'true' | 'false')
        .transform((v) => v === 'true' || v === '1' || v === 'yes'),
    ),
  /** A non-empty string with a default. */
  string: (fallback: string) => z.preprocess(unsetWhenEmpty, z.string().min(1).default(fallback)),
  /** A string that may stay unset (an empty one counts as unset). */
  optionalString: () => z.preprocess(unsetWhenEmpty, z.string().optional()),
  /** A required URL with one of the given protocols (no default: it names a deployment's own service). */
  url: (protocols: string[]) =>
    z
      .string({ error: 'is required' })
      .min(1, 'is required')
      .refine((v) => URL.canParse(v) && protocols.includes(new URL(v).protocol), {
        message: `must be a URL starting with ${protocols.map((p) => `${p}//`).join(' or ')}`,
      }),
  /** A required secret (no default, so that no deployment runs with a shared one). */
  secret: (minLength: number) =>
    z.string({ error: 'is required' }).min(minLength, `must be at least ${minLength} characters`),
  logLevel: () =>
    z.preprocess(
      unsetWhenEmpty,
      z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    ),
};

/** A rule between variables that each parse on their own, e.g. a minimum that must not exceed a maximum. */
export interface EnvRule<E> {
  /** The variables it relates; it is checked once each of them is valid. */
  names: readonly (keyof E & string)[];
  /** The problem, naming the variables and their values; undefined when they agree. */
  problem: (values: E) => string | undefined;
}

/**
 * `schema` with rules between its variables. Each rule runs even when other variables are invalid
 * (zod skips refinements of an object with problems by default), so that its problem is listed with
 * theirs in the one ConfigError.
 */
export function withRules<S extends z.ZodObject>(schema: S, ...rules: EnvRule<z.output<S>>[]): S {
  return rules.reduce(
    (checked, rule) =>
      checked.superRefine(
        (values, ctx) => {
          const problem = rule.problem(values);
          if (problem !== undefined)
            ctx.addIssue({ code: 'custom', path: [], message: problem, input: values });
        },
        {
          when: (payload) =>
            !payload.issues.some((issue) => rule.names.includes(String(issue.path?.[0]) as never)),
        },
      ),
    schema,
  );
}
