import { z } from 'zod';

/** Thrown when the environment does not describe a valid configuration; lists every problem at once. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/**
 * Validates `env` against a zod object whose keys are environment variable names, so each problem
 * names the variable a person has to fix.
 */
export function parseEnv<S extends z.ZodObject>(
  schema: S,
  env: Record<string, string | undefined>,
): z.infer<S> {
  const result = schema.safeParse(env);
  if (result.success) return result.data;
  throw new ConfigError(
    result.error.issues.map((issue) => {
      const name = issue.path.join('.') || '(environment)';
      const value = issue.path.length === 1 ? env[String(issue.path[0])] : undefined;
      return value === undefined
        ? `${name}: ${issue.message}`
        : `${name}=${JSON.stringify(value)}: ${issue.message}`;
    }),
  );
}

/** Reusable field parsers for environment variables, which always arrive as strings. */
export const env = {
  /** An integer within [min, max], with a default when the variable is unset or empty. */
  int: (fallback: number, min = 0, max = Number.MAX_SAFE_INTEGER) =>
    z.preprocess(
      (v) => (v === undefined || v === '' ? fallback : v),
      z.coerce.number({ error: 'must be a number' }).int('must be an integer').min(min).max(max),
    ),
  /** `true`/`false`/`1`/`0`/`yes`/`no`, with a default. */
  bool: (fallback: boolean) =>
    z.preprocess(
      (v) => (v === undefined || v === '' ? String(fallback) : String(v).toLowerCase()),
      z
        .enum(['true', 'false', '1', '0', 'yes', 'no'], { error: 'must be true or false' })
        .transform((v) => v === 'true' || v === '1' || v === 'yes'),
    ),
  /** A non-empty string with a default. */
  string: (fallback: string) =>
    z.preprocess((v) => (v === undefined || v === '' ? fallback : v), z.string().min(1)),
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
      (v) => (v === undefined || v === '' ? 'info' : v),
      z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']),
    ),
};
