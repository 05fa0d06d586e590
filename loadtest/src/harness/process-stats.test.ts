import { cpuShareBetween, parseCpuSeconds, parseVmRss, peakRssBetween, sampleNear } from './process-stats.js';

describe('parseVmRss', () => {
  it('reads the resident set in bytes', () => {
    expect(parseVmRss('Name:\tnode\nVmPeak:\t 999 kB\nVmRSS:\t  102440 kB\nThreads: 11\n')).toBe(
      102440 * 1024,
    );
    expect(parseVmRss('Name:\tzombie\n')).toBeUndefined();
  });
});

describe('parseCpuSeconds', () => {
  it('adds user and system time, whatever the command name holds', () => {
    const stat = '11392 (node (main) x) R 11390 11390 7712 0 -1 4194304 100 0 0 0 250 50 0 0 20 0 1 0';
    expect(parseCpuSeconds(stat)).toBe(3);
  });
});

describe('sample windows', () => {
  const samples = [
    { at: 0, rssBytes: 100, cpuSeconds: 1 },
    { at: 1000, rssBytes: 300, cpuSeconds: 1.5 },
    { at: 2000, rssBytes: 200, cpuSeconds: 2.5 },
  ];

  it('gives the share of a core used between two instants', () => {
    expect(cpuShareBetween(samples, 0, 2000)).toBeCloseTo(0.75);
    expect(cpuShareBetween(samples, 500, 2000)).toBeCloseTo(1);
  });

  it('finds the nearest sample and the peak within a window', () => {
    expect(sampleNear(samples, 1400)?.rssBytes).toBe(300);
    expect(peakRssBetween(samples, 1500, 2500)).toBe(200);
    expect(peakRssBetween(samples, 3000, 4000)).toBeNaN();
  });
});
