import { wallClock } from './wall-clock.js';

describe('wallClock', () => {
  afterEach(() => jest.restoreAllMocks());

  it('follows a step of the machine’s clock instead of the clock read when the process started', () => {
    const before = wallClock();
    const realNow = Date.now.bind(Date);
    jest.spyOn(Date, 'now').mockImplementation(() => realNow() + 9_000);
    const after = wallClock();
    expect(after - before).toBeGreaterThanOrEqual(8_990);
    expect(after - (realNow() + 9_000)).toBeLessThanOrEqual(2);
  });

  it('keeps sub-millisecond precision between steps', () => {
    const readings = Array.from({ length: 2_000 }, () => wallClock());
    expect(readings.some((at) => !Number.isInteger(at))).toBe(true);
    for (let i = 1; i < readings.length; i += 1)
      expect(readings[i]!).toBeGreaterThanOrEqual(readings[i - 1]!);
  });
});
