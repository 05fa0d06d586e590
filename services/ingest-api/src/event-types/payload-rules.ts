import type { Principal } from '../auth/api-key-authenticator.js';
import { toProblems } from '../http/ajv.js';
import { errors, type FieldProblem } from '../http/api-error.js';
import type { EventTypeRule, EventTypeValidators } from './event-type-validators.js';
import { holdsMoreValues } from './validation-budget.js';

/** At most this many schema errors are reported per event, however many the payload has. */
const MAX_SCHEMA_ERRORS = 20;

/** Checks an event's payload against its type's registered schema and the organization's strict mode. */
export type PayloadRuleCheck = (type: string, payload: unknown, pointer: string) => FieldProblem[];

/**
 * Resolves the rules of every type in a request at once and returns the synchronous check each
 * item then goes through: at once when every rule is cached (nearly always), else once Postgres
 * has answered. Without Postgres, rules that are not cached cannot be known: the request is then
 * refused as unavailable, like the INSERT it would need.
 *
 * `types` are those of items whose envelope validated (the event type pattern and length): a raw
 * string from a request never reaches the cache or a query.
 */
export function payloadRules(
  validators: EventTypeValidators,
  principal: Principal,
  types: readonly string[],
): PayloadRuleCheck | Promise<PayloadRuleCheck> {
  if (types.length === 0) return () => [];
  const cached = validators.cachedRulesFor(principal.organizationId, types);
  if (cached) return checkWith(cached, principal);
  return validators.rulesFor(principal.organizationId, types).then(
    (rules) => checkWith(rules, principal),
    () => {
      throw errors.unavailable();
    },
  );
}

function checkWith(rules: Map<string, EventTypeRule>, principal: Principal): PayloadRuleCheck {
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
    if (!rule.validate) return [];
    // Checked before validating: the schema's cost per value times the payload's values is what
    // validation would take from the event loop every organization shares.
    if (holdsMoreValues(payload, rule.maxPayloadValues)) {
      return [
        {
          pointer: `${pointer}/payload`,
          message: `holds more than ${rule.maxPayloadValues} values, the most the type’s schema is checked against in one event; send smaller events or simplify the schema`,
        },
      ];
    }
    let valid: boolean;
    try {
      valid = rule.validate(payload) as boolean;
    } catch {
      // A validator that throws (a bug, or a schema stored before today's bounds) fails its own
      // event only, never the request or batch around it.
      return [{ pointer: `${pointer}/payload`, message: 'could not be checked against the type’s schema' }];
    }
    if (valid) return [];
    return toProblems(rule.validate.errors?.slice(0, MAX_SCHEMA_ERRORS), `${pointer}/payload`);
  };
}
