import type { Principal } from '../auth/api-key-authenticator.js';
import { toProblems } from '../http/ajv.js';
import { errors, type FieldProblem } from '../http/api-error.js';
import type { EventTypeValidators } from './event-type-validators.js';

/** At most this many schema errors are reported per event, however many the payload has. */
const MAX_SCHEMA_ERRORS = 20;

/** Checks an event's payload against its type's registered schema and the organization's strict mode. */
export type PayloadRuleCheck = (type: string, payload: unknown, pointer: string) => FieldProblem[];

/**
 * Resolves the rules of every type in a request at once (usually from memory), and returns the
 * synchronous check each item then goes through. Without Postgres, rules that are not cached
 * cannot be known: the request is then refused as unavailable, like the INSERT it would need.
 */
export async function payloadRules(
  validators: EventTypeValidators,
  principal: Principal,
  items: readonly unknown[],
): Promise<PayloadRuleCheck> {
  const types = items
    .map((item) =>
      typeof item === 'object' && item !== null ? (item as { type?: unknown }).type : undefined,
    )
    .filter((type): type is string => typeof type === 'string');
  if (types.length === 0) return () => [];
  let rules: Awaited<ReturnType<EventTypeValidators['rulesFor']>>;
  try {
    rules = await validators.rulesFor(principal.organizationId, types);
  } catch {
    throw errors.unavailable();
  }
  return (type, payload, pointer) => {
    const rule = rules.get(type);
    if (!rule?.registered) {
      return principal.strictEventTypes
        ? [
            {
              pointer: `${pointer}/type`,
              message: `"${type}" is not a registered event type, and the organization accepts registered types only`,
            },
          ]
        : [];
    }
    if (!rule.validate || rule.validate(payload)) return [];
    return toProblems(rule.validate.errors?.slice(0, MAX_SCHEMA_ERRORS), `${pointer}/payload`);
  };
}
