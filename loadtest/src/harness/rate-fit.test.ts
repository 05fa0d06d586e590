import { fitRatePerSecond } from './rate-fit.js';

describe('fitRatePerSecond', () => {
  it('reads the rate of a counter that grows evenly', () => {
    const samples = Array.from({ length: 9 }, (_, i) => ({ at: 1000 + i * 250, value: 40 + i * 25 }));
    expect(fitRatePerSecond(samples)).toBeCloseTo(100);
  });

  it('is not thrown off by a counter published once a second, where two readings are', () => {
    // 100 per second, published at whole seconds + 0.9 s; read every 100 ms from just before one
    // publication to just after the third: two readings make it 132 per second.
    const published = (at: number) => Math.floor((at - 900) / 1000) * 100;
    const samples = Array.from({ length: 31 }, (_, i) => {
      const at = 890 + (i * 3020) / 30;
      return { at, value: published(at) };
    });
    const [first, last] = [samples[0]!, samples.at(-1)!];
    expect(((last.value - first.value) / (last.at - first.at)) * 1000).toBeCloseTo(132, 0);
    expect(Math.abs(fitRatePerSecond(samples) - 100)).toBeLessThan(5);
  });

  it('has no rate without two instants', () => {
    expect(fitRatePerSecond([{ at: 5, value: 1 }])).toBeNaN();
    expect(
      fitRatePerSecond([
        { at: 5, value: 1 },
        { at: 5, value: 2 },
      ]),
    ).toBeNaN();
  });
});
