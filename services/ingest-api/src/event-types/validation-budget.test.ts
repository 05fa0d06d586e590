import { holdsMoreValues, maxPayloadValues, PAYLOAD_CHECK_BUDGET } from './validation-budget.js';

describe('the validation budget of one payload', () => {
  it('counts every value, containers included, and stops past the limit', () => {
    const payload = { a: [1, 2, { b: 'c' }], d: null }; // root, a, 1, 2, {b}, c, d: 7 values
    expect(holdsMoreValues(payload, 7)).toBe(false);
    expect(holdsMoreValues(payload, 6)).toBe(true);
    expect(
      holdsMoreValues(
        Array.from({ length: 1_000_000 }, () => 0),
        10,
      ),
    ).toBe(true);
  });

  it('allows fewer values the more each one costs, and any body for the simplest schemas', () => {
    expect(maxPayloadValues(250)).toBeLessThan(maxPayloadValues(10));
    expect(maxPayloadValues(250) * 250).toBeLessThanOrEqual(PAYLOAD_CHECK_BUDGET);
    // A 256 KiB body holds about 128k values at most.
    expect(maxPayloadValues(1)).toBeGreaterThan(128 * 1024);
  });
});
