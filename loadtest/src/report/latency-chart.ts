/** One step of a latency-against-rate curve. */
export interface LatencyPoint {
  /** Offered rate, per second. */
  rate: number;
  p50: number;
  p95: number;
  p99?: number;
  /** The step kept its p95 within the bound. */
  held: boolean;
}

export interface LatencyChartInput {
  title: string;
  /** A second, smaller line under the title. */
  subtitle?: string;
  points: readonly LatencyPoint[];
  /** The p95 bound, drawn as a dashed line. */
  boundMs: number;
  /** Unit of the rates, e.g. `events/s`. */
  rateUnit: string;
  /** A rate the top axis expresses every rate as a share of, e.g. bare express's maximum. */
  reference?: { rate: number; label: string };
}

const WIDTH = 760;
const HEIGHT = 470;
const PLOT = { left: 76, right: 736, top: 100, bottom: 360 };
const INK = '#24292f';
const MUTED = '#57606a';
const GRID = '#d0d7de';
const SERIES = [
  { key: 'p50', color: '#0969da', width: 2 },
  { key: 'p95', color: '#bc4c00', width: 2.5 },
  { key: 'p99', color: '#8250df', width: 1.5 },
] as const;
const NOT_HELD = '#cf222e';
/** Past this ratio between the highest and the lowest latency, the y axis is logarithmic. */
const LOG_SCALE_SPAN = 20;

/**
 * The latency-against-rate curve as a self-contained SVG: p50, p95 (and p99 when given) against
 * the offered rate, the p95 bound dashed, each step's p95 marked held (filled) or not (a cross).
 * No fonts or scripts are fetched, and it draws its own white background, so it reads the same on
 * a light or a dark GitHub page. The y axis turns logarithmic when latencies span orders of
 * magnitude, as they do past capacity.
 */
export function renderLatencyChart(input: LatencyChartInput): string {
  const points = [...input.points].filter((p) => Number.isFinite(p.rate)).sort((a, b) => a.rate - b.rate);
  const withP99 = points.some((p) => p.p99 !== undefined && Number.isFinite(p.p99));
  const series = SERIES.filter((s) => s.key !== 'p99' || withP99);
  const latencies = points
    .flatMap((p) => series.map((s) => p[s.key]))
    .filter((v): v is number => v !== undefined && Number.isFinite(v) && v > 0);
  const y = latencyScale([...latencies, input.boundMs]);
  const xAxisTicks = niceAxis(Math.max(0, ...points.map((p) => p.rate)) * 1.05);
  const xMax = xAxisTicks.max;
  const x = (rate: number) => PLOT.left + (rate / xMax) * (PLOT.right - PLOT.left);

  const parts: string[] = [
    `<rect x="0" y="0" width="${WIDTH}" height="${HEIGHT}" fill="#ffffff"/>`,
    text(WIDTH / 2, 26, input.title, { size: 16, weight: 'bold', anchor: 'middle' }),
    ...(input.subtitle
      ? [text(WIDTH / 2, 46, input.subtitle, { size: 12, anchor: 'middle', fill: MUTED })]
      : []),
    ...yAxis(y),
    ...xAxis(xAxisTicks.ticks, x, input.rateUnit),
    ...(input.reference && points.length > 0 ? topAxis(xMax, x, input.reference) : []),
    `<rect x="${PLOT.left}" y="${PLOT.top}" width="${PLOT.right - PLOT.left}" height="${PLOT.bottom - PLOT.top}" fill="none" stroke="${MUTED}"/>`,
    `<line class="bound" x1="${PLOT.left}" x2="${PLOT.right}" y1="${fixed(y.map(input.boundMs))}" y2="${fixed(y.map(input.boundMs))}" stroke="${NOT_HELD}" stroke-width="1.5" stroke-dasharray="6 4"/>`,
    text(PLOT.right - 4, y.map(input.boundMs) - 5, `p95 bound ${formatMs(input.boundMs)} ms`, {
      size: 11,
      anchor: 'end',
      fill: NOT_HELD,
    }),
    ...series.flatMap((s) => seriesMarks(s, points, x, y)),
    ...(points.length === 0
      ? [
          text((PLOT.left + PLOT.right) / 2, (PLOT.top + PLOT.bottom) / 2, 'no steps measured', {
            size: 14,
            anchor: 'middle',
            fill: MUTED,
          }),
        ]
      : []),
    ...legend(series),
  ];
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" aria-labelledby="chart-title" font-family="-apple-system, 'Segoe UI', Helvetica, Arial, sans-serif">`,
    `<title id="chart-title">${escapeXml(input.title)}</title>`,
    ...parts,
    '</svg>',
    '',
  ].join('\n');
}

interface Scale {
  log: boolean;
  map: (ms: number) => number;
  ticks: number[];
}

/** Linear from 0 when latencies stay within one order of magnitude or so, else logarithmic by decades. */
export function latencyScale(values: readonly number[]): Scale {
  const positive = values.filter((v) => Number.isFinite(v) && v > 0);
  const lowest = Math.min(...positive);
  const highest = Math.max(...positive);
  const span = PLOT.bottom - PLOT.top;
  if (positive.length > 0 && highest / lowest >= LOG_SCALE_SPAN) {
    const from = Math.floor(Math.log10(lowest));
    const to = Math.ceil(Math.log10(highest));
    const decades = Math.max(1, to - from);
    const steps = decades <= 3 ? [1, 2, 5] : [1];
    const ticks: number[] = [];
    for (let decade = from; decade <= to; decade += 1) {
      for (const step of steps) {
        const tick = step * 10 ** decade;
        if (tick <= 10 ** to) ticks.push(tick);
      }
    }
    return {
      log: true,
      map: (ms) => PLOT.bottom - ((Math.log10(Math.max(ms, 10 ** from)) - from) / decades) * span,
      ticks,
    };
  }
  const { max, ticks } = niceAxis((positive.length > 0 ? highest : 1) * 1.1);
  return { log: false, map: (ms) => PLOT.bottom - (ms / max) * span, ticks };
}

function seriesMarks(
  s: (typeof SERIES)[number],
  points: readonly LatencyPoint[],
  x: (rate: number) => number,
  y: Scale,
): string[] {
  const drawn = points.flatMap((p) => {
    const value = p[s.key];
    return value !== undefined && Number.isFinite(value) && (!y.log || value > 0)
      ? [{ cx: x(p.rate), cy: y.map(value), held: p.held }]
      : [];
  });
  if (drawn.length === 0) return [];
  const line = `<polyline class="series-${s.key}" points="${drawn.map((d) => `${fixed(d.cx)},${fixed(d.cy)}`).join(' ')}" fill="none" stroke="${s.color}" stroke-width="${s.width}" stroke-linejoin="round"/>`;
  if (s.key !== 'p95') {
    return [
      line,
      ...drawn.map((d) => `<circle cx="${fixed(d.cx)}" cy="${fixed(d.cy)}" r="2.5" fill="${s.color}"/>`),
    ];
  }
  return [line, ...drawn.map((d) => (d.held ? heldMark(d.cx, d.cy) : notHeldMark(d.cx, d.cy)))];
}

function heldMark(cx: number, cy: number): string {
  return `<circle class="held" cx="${fixed(cx)}" cy="${fixed(cy)}" r="4.5" fill="${SERIES[1].color}" stroke="#ffffff" stroke-width="1"/>`;
}

function notHeldMark(cx: number, cy: number): string {
  const d = 5;
  return `<path class="not-held" d="M${fixed(cx - d)},${fixed(cy - d)} L${fixed(cx + d)},${fixed(cy + d)} M${fixed(cx - d)},${fixed(cy + d)} L${fixed(cx + d)},${fixed(cy - d)}" stroke="${NOT_HELD}" stroke-width="2.5"/>`;
}

function yAxis(y: Scale): string[] {
  return [
    ...y.ticks.flatMap((tick) => {
      const at = fixed(y.map(tick));
      return [
        `<line x1="${PLOT.left}" x2="${PLOT.right}" y1="${at}" y2="${at}" stroke="${GRID}" stroke-width="${y.log && !isDecade(tick) ? 0.5 : 1}"/>`,
        text(PLOT.left - 6, y.map(tick) + 4, formatMs(tick), { size: 11, anchor: 'end' }),
      ];
    }),
    `<text x="18" y="${(PLOT.top + PLOT.bottom) / 2}" font-size="12" fill="${INK}" text-anchor="middle" transform="rotate(-90 18 ${(PLOT.top + PLOT.bottom) / 2})">${y.log ? 'latency, ms (log scale)' : 'latency, ms'}</text>`,
  ];
}

function xAxis(ticks: readonly number[], x: (rate: number) => number, unit: string): string[] {
  return [
    ...ticks.flatMap((tick) => [
      `<line x1="${fixed(x(tick))}" x2="${fixed(x(tick))}" y1="${PLOT.bottom}" y2="${PLOT.bottom + 5}" stroke="${MUTED}"/>`,
      text(x(tick), PLOT.bottom + 19, formatCount(tick), { size: 11, anchor: 'middle' }),
    ]),
    text((PLOT.left + PLOT.right) / 2, PLOT.bottom + 40, `offered rate, ${unit}`, {
      size: 12,
      anchor: 'middle',
    }),
  ];
}

function topAxis(
  xMax: number,
  x: (rate: number) => number,
  reference: { rate: number; label: string },
): string[] {
  if (!(reference.rate > 0)) return [];
  const percentMax = (xMax / reference.rate) * 100;
  // Only the ticks within the plot: the rate axis, not this one, sets its width.
  const ticks = niceAxis(percentMax).ticks.filter((percent) => percent <= percentMax);
  return [
    ...ticks.flatMap((percent) => {
      const at = x((percent / 100) * reference.rate);
      return [
        `<line x1="${fixed(at)}" x2="${fixed(at)}" y1="${PLOT.top - 5}" y2="${PLOT.top}" stroke="${MUTED}"/>`,
        text(at, PLOT.top - 9, `${formatCount(percent)}%`, { size: 11, anchor: 'middle', fill: MUTED }),
      ];
    }),
    text((PLOT.left + PLOT.right) / 2, PLOT.top - 28, `% of ${reference.label}`, {
      size: 12,
      anchor: 'middle',
      fill: MUTED,
    }),
  ];
}

function legend(series: readonly (typeof SERIES)[number][]): string[] {
  const entries: { swatch: (x: number, y: number) => string; label: string }[] = [
    ...series.map((s) => ({
      swatch: (x: number, y: number) =>
        `<line x1="${x}" x2="${x + 22}" y1="${y}" y2="${y}" stroke="${s.color}" stroke-width="${s.width}"/>`,
      label: s.key,
    })),
    {
      swatch: (x, y) =>
        `<line x1="${x}" x2="${x + 22}" y1="${y}" y2="${y}" stroke="${NOT_HELD}" stroke-width="1.5" stroke-dasharray="6 4"/>`,
      label: 'p95 bound',
    },
    { swatch: (x, y) => heldMark(x + 11, y), label: 'held (p95 ≤ bound)' },
    { swatch: (x, y) => notHeldMark(x + 11, y), label: 'step not held' },
  ];
  const y = PLOT.bottom + 72;
  let at = PLOT.left;
  return entries.flatMap(({ swatch, label }) => {
    const drawn = [swatch(at, y), text(at + 28, y + 4, label, { size: 12, anchor: 'start' })];
    at += 28 + label.length * 6.6 + 18;
    return drawn;
  });
}

function text(
  x: number,
  y: number,
  content: string,
  style: { size: number; anchor: 'start' | 'middle' | 'end'; weight?: 'bold'; fill?: string },
): string {
  return `<text x="${fixed(x)}" y="${fixed(y)}" font-size="${style.size}" fill="${style.fill ?? INK}" text-anchor="${style.anchor}"${style.weight ? ` font-weight="${style.weight}"` : ''}>${escapeXml(content)}</text>`;
}

/** Round ticks from 0 to at least `value`, about five of them: steps of 1, 2, 2.5 or 5 times a power of ten. */
export function niceAxis(value: number): { max: number; ticks: number[] } {
  const target = value > 0 && Number.isFinite(value) ? value : 1;
  const raw = target / 5;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((c) => c * power).find((c) => c >= raw * (1 - 1e-9))!;
  const count = Math.ceil(target / step - 1e-9);
  const ticks = Array.from({ length: count + 1 }, (_, i) => Number((i * step).toPrecision(12)));
  return { max: ticks.at(-1)!, ticks };
}

function isDecade(value: number): boolean {
  return Math.abs(Math.log10(value) - Math.round(Math.log10(value))) < 1e-9;
}

const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

function formatCount(value: number): string {
  return Number.isInteger(value) ? integer.format(value) : String(Number(value.toPrecision(3)));
}

function formatMs(value: number): string {
  return value >= 1 ? integer.format(value) : String(Number(value.toPrecision(2)));
}

function fixed(value: number): string {
  return value.toFixed(1);
}

export function escapeXml(value: string): string {
  return value
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}
