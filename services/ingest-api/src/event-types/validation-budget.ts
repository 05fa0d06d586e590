/**
 * How much validating one payload against its type's schema may cost, whatever the schema and the
 * payload: the schema's checks per value (bounded at registration, see schema-fan-out.ts) times the
 * payload's values. Registration bounds the first factor and the body limit the second, but their
 * product reached 30–40 ms of the event loop every organization shares (a 250-value `enum` over
 * 25,000 array items). Measured on the worst schemas registration allows: about 2–7 ns a check,
 * and about 20 ns a value for the validator's own walk.
 */

/** Checks one payload may cost: about 5 ms at the slowest rate measured. */
export const PAYLOAD_CHECK_BUDGET = 750_000;

/** A value costs the validator's walk about as much as this many checks, however simple its schema. */
const CHECKS_PER_VALUE_WALKED = 3;

/** The most values a payload may hold for a schema costing `checksPerValue` each. */
export function maxPayloadValues(checksPerValue: number): number {
  return Math.floor(PAYLOAD_CHECK_BUDGET / (checksPerValue + CHECKS_PER_VALUE_WALKED));
}

/** Whether `payload` holds more than `limit` JSON values (objects and arrays count too); stops counting past it. */
export function holdsMoreValues(payload: unknown, limit: number): boolean {
  let count = 0;
  const pending: unknown[] = [payload];
  while (pending.length > 0) {
    const value = pending.pop();
    if (++count > limit) return true;
    // One push at a time: spreading an array of 100k items into push overflows the stack.
    if (Array.isArray(value)) for (const item of value) pending.push(item);
    else if (typeof value === 'object' && value !== null)
      for (const item of Object.values(value)) pending.push(item);
  }
  return false;
}
