import {
  latencyScale,
  niceAxis,
  renderLatencyChart,
  type LatencyChartInput,
  type LatencyPoint,
} from './latency-chart.js';

const chart = (points: LatencyPoint[], overrides: Partial<LatencyChartInput> = {}) =>
  renderLatencyChart({ title: 'Latency', points, boundMs: 250, rateUnit: 'events/s', ...overrides });

/** Every opened element closed in order; throws on the first mismatch. */
function assertBalanced(svg: string): void {
  const open: string[] = [];
  for (const [, closing, name, selfClosing] of svg.matchAll(/<(\/?)([a-zA-Z]+)[^>]*?(\/?)>/g)) {
    if (selfClosing) continue;
    if (!closing) open.push(name!);
    else if (open.pop() !== name) throw new Error(`</${name}> closes the wrong element`);
  }
  if (open.length > 0) throw new Error(`unclosed: ${open.join(', ')}`);
}

const polyline = (svg: string, key: string): [number, number][] => {
  const match = new RegExp(`class="series-${key}" points="([^"]*)"`).exec(svg);
  if (!match) return [];
  return match[1]!.split(' ').map((pair) => pair.split(',').map(Number) as [number, number]);
};

const boundY = (svg: string) => Number(/class="bound"[^>]*y1="([\d.]+)"/.exec(svg)?.[1]);

const curve: LatencyPoint[] = [
  { rate: 2000, p50: 8, p95: 30, p99: 60, held: true },
  { rate: 500, p50: 3, p95: 9, p99: 15, held: true },
  { rate: 4000, p50: 900, p95: 6000, p99: 9000, held: false },
  { rate: 3000, p50: 40, p95: 180, p99: 400, held: true },
];

describe('renderLatencyChart', () => {
  it('draws a self-contained SVG on a white background that fetches nothing', () => {
    const svg = chart(curve, { title: 'p95 < 250 & "held"' });
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
    expect(() => assertBalanced(svg)).not.toThrow();
    expect(svg).toMatch(/<rect x="0" y="0" width="\d+" height="\d+" fill="#ffffff"\/>/);
    expect(svg).not.toMatch(/<script|href=|@import|url\(/);
    expect(svg).toContain('<title id="chart-title">p95 &lt; 250 &amp; &quot;held&quot;</title>');
  });

  it('maps the steps in rate order, higher latencies higher up', () => {
    const svg = chart(curve);
    for (const key of ['p50', 'p95', 'p99']) {
      const drawn = polyline(svg, key);
      expect(drawn).toHaveLength(4);
      const xs = drawn.map(([x]) => x);
      expect(xs).toEqual([...xs].sort((a, b) => a - b));
      // SVG's y grows downwards; these latencies grow with the rate.
      const ys = drawn.map(([, y]) => y);
      expect(ys).toEqual([...ys].sort((a, b) => b - a));
    }
  });

  it('draws the p95 bound dashed, on a log scale, at its place between 200 and 500 ms', () => {
    const svg = chart(curve);
    expect(svg).toContain('latency, ms (log scale)');
    expect(svg).toMatch(/class="bound"[^>]*stroke-dasharray/);
    const scale = latencyScale([3, 9000, 250]);
    expect(boundY(svg)).toBeCloseTo(scale.map(250), 1);
    expect(scale.map(250)).toBeLessThan(scale.map(200));
    expect(scale.map(250)).toBeGreaterThan(scale.map(500));
  });

  it('marks held steps and the step not held differently (one of each in the legend)', () => {
    const svg = chart(curve);
    expect(svg.match(/class="held"/g)).toHaveLength(3 + 1);
    expect(svg.match(/class="not-held"/g)).toHaveLength(1 + 1);
  });

  it('keeps a linear scale when latencies stay within an order of magnitude, and leaves out a p99 not given', () => {
    const svg = chart([
      { rate: 100, p50: 40, p95: 90, held: true },
      { rate: 200, p50: 60, p95: 120, held: true },
    ]);
    expect(svg).toContain('>latency, ms</text>');
    expect(svg).not.toContain('series-p99');
    expect(svg).not.toContain('>p99</text>');
  });

  it('draws one step, and an empty chart that says so, both with the bound line', () => {
    const one = chart([{ rate: 1200, p50: 5, p95: 12, p99: 20, held: true }]);
    expect(() => assertBalanced(one)).not.toThrow();
    expect(polyline(one, 'p95')).toHaveLength(1);
    expect(one.match(/class="held"/g)).toHaveLength(2);
    expect(Number.isFinite(boundY(one))).toBe(true);

    const none = chart([]);
    expect(() => assertBalanced(none)).not.toThrow();
    expect(none).toContain('no steps measured');
    expect(none).not.toContain('<polyline');
    expect(Number.isFinite(boundY(none))).toBe(true);
  });

  it('labels a top axis in percent of the reference rate', () => {
    const svg = chart(curve, { reference: { rate: 10_000, label: 'bare express 5' } });
    expect(svg).toContain('% of bare express 5');
    expect(svg).toContain('>40%</text>');
  });
});

describe('niceAxis', () => {
  it('ends on a round tick at or above the value', () => {
    expect(niceAxis(4200)).toEqual({ max: 5000, ticks: [0, 1000, 2000, 3000, 4000, 5000] });
    expect(niceAxis(0.9).max).toBe(1);
    expect(niceAxis(0)).toEqual({ max: 1, ticks: [0, 0.2, 0.4, 0.6, 0.8, 1] });
  });
});
