import type { z } from 'zod';
import { ConfigError, parseEnv, type Environment } from './config.js';

/** One environment variable a service reads, as its schema declares it. */
export interface ConfigVariable {
  name: string;
  /** The schema's `.describe()` text: one line saying what it does. */
  description: string;
  /** `required`: unset is an error; `optional`: unset means the feature is off; `default`: unset means `default`. */
  kind: 'required' | 'optional' | 'default';
  /** What the service uses when the variable is unset (kind `default` only). */
  default?: string | number | boolean;
}

/**
 * A service's configuration contract: the environment schema (every variable, its bounds, default
 * and description) and the one function that turns an environment into the service's typed config.
 * Each service exports its contract from `<service>/config`; whatever needs a service's settings
 * or defaults (docs, `.env.example`, ops tests, the benchmark, dev scripts) imports it from there.
 */
export interface ConfigContract<S extends z.ZodObject, C> {
  readonly schema: S;
  /** Validates every variable at once; throws a ConfigError listing every problem. */
  load: (env: Environment) => C;
  /** Every variable the service reads, in schema order. */
  readonly variables: readonly ConfigVariable[];
  /**
   * The value the service reads for `name` under `env`: its default when unset. Rules between
   * variables are not applied; throws a ConfigError when the value is invalid or required and unset.
   */
  setting: <K extends keyof z.output<S> & string>(name: K, env?: Environment) => z.output<S>[K];
}

/** Declares a service's contract from its environment schema and the shape of its config. */
export function defineConfig<S extends z.ZodObject, C>(
  schema: S,
  shape: (values: z.output<S>) => C,
): ConfigContract<S, C> {
  const fields = schema.shape as Record<string, z.ZodType>;
  let variables: ConfigVariable[] | undefined;
  return {
    schema,
    load: (env) => shape(parseEnv(schema, env)),
    get variables() {
      variables ??= Object.entries(fields).map(([name, field]) => describeVariable(name, field));
      return variables;
    },
    setting: (name, env = {}) => {
      const field = fields[name];
      if (field === undefined) throw new Error(`no variable ${name} in this contract`);
      const result = field.safeParse(env[name]);
      if (!result.success) {
        throw new ConfigError(result.error.issues.map((issue) => `${name}: ${issue.message}`));
      }
      return result.data as z.output<S>[typeof name];
    },
  };
}

/** A field's default is what it parses an unset variable to; a field that refuses one is required. */
function describeVariable(name: string, field: z.ZodType): ConfigVariable {
  const description = field.description;
  if (!description) throw new Error(`${name} has no description: add .describe('…') to its schema`);
  const unset = field.safeParse(undefined);
  if (!unset.success) return { name, description, kind: 'required' };
  if (unset.data === undefined) return { name, description, kind: 'optional' };
  return { name, description, kind: 'default', default: unset.data as string | number | boolean };
}
