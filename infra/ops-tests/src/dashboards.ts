import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Query } from './metric-references.js';
import { analyzePromql, withGrafanaVariables } from './promql.js';
import { paths } from './repo.js';

export interface GridPos {
  x: number;
  y: number;
  w: number;
  h: number;
}

export interface Panel {
  id: number;
  type: string;
  title: string;
  gridPos: GridPos;
  targets?: { refId: string; expr: string; datasource?: { uid: string } }[];
  datasource?: { type: string; uid: string };
  panels?: Panel[];
  fieldConfig?: {
    defaults: { unit?: string };
    overrides: { matcher: { id: string; options: string }; properties: { id: string; value: unknown }[] }[];
  };
}

export interface Dashboard {
  file: string;
  uid: string;
  title: string;
  panels: Panel[];
  templating: { list: { name: string; type: string; query?: string }[] };
}

/** Every dashboard JSON under infra/grafana/dashboards. */
export function loadDashboards(): Dashboard[] {
  return readdirSync(paths.dashboards)
    .filter((f) => f.endsWith('.json'))
    .map((file) => ({
      file,
      ...(JSON.parse(readFileSync(join(paths.dashboards, file), 'utf8')) as Omit<Dashboard, 'file'>),
    }));
}

/** Panels in layout order, with those inside collapsed rows. */
export function allPanels(dashboard: Dashboard): Panel[] {
  return dashboard.panels.flatMap((p) => [p, ...(p.panels ?? [])]);
}

export function dashboardQueries(): Query[] {
  return loadDashboards().flatMap((d) =>
    allPanels(d).flatMap((p) =>
      (p.targets ?? []).map((t) => ({ source: `${d.file} › ${p.title} › ${t.refId}`, expr: t.expr })),
    ),
  );
}

/** What a query's values measure: series of different quantities need units (and axes) of their own. */
export type Quantity = 'seconds' | 'milliseconds' | 'per second' | 'count' | 'bytes' | 'fraction';

/** Grafana units by the quantity they draw. */
const UNIT_QUANTITIES: Record<string, Quantity> = {
  s: 'seconds',
  ms: 'milliseconds',
  ops: 'per second',
  reqps: 'per second',
  short: 'count',
  none: 'count',
  bytes: 'bytes',
  percentunit: 'fraction',
};

export const quantityOfUnit = (unit: string | undefined): Quantity | undefined =>
  unit === undefined ? undefined : UNIT_QUANTITIES[unit];

/** The quantity a query yields, read from its functions and the names (and suffixes) of its metrics. */
export function quantityOf(expr: string): Quantity {
  const metrics = analyzePromql(withGrafanaVariables(expr)).selectors.map((s) => s.metric ?? '');
  const all = (suffix: RegExp) => metrics.length > 0 && metrics.every((m) => suffix.test(m));
  const time = /\* 1000\b/.test(expr) ? 'milliseconds' : 'seconds';
  // CPU seconds per second: the share of one core.
  if (all(/_cpu_seconds_total$/)) return 'fraction';
  if (expr.includes('histogram_quantile(')) return all(/_seconds_bucket$/) ? time : 'count';
  // A histogram's mean: _sum over _count.
  if (all(/_(sum|count)$/) && expr.includes(' / ')) return all(/_seconds_(sum|count)$/) ? time : 'count';
  if (/\b(rate|irate)\(/.test(expr)) return 'per second';
  if (all(/_bytes$/)) return 'bytes';
  if (all(/_seconds$/)) return time;
  return 'count';
}

/** The unit Grafana draws one query of a panel in: its own override, else the panel's default. */
export function unitOf(panel: Panel, refId: string): { unit: string | undefined; overridden: boolean } {
  const override = panel.fieldConfig?.overrides
    .filter((o) => o.matcher.id === 'byFrameRefID' && o.matcher.options === refId)
    .flatMap((o) => o.properties)
    .find((p) => p.id === 'unit');
  return override
    ? { unit: override.value as string, overridden: true }
    : { unit: panel.fieldConfig?.defaults.unit, overridden: false };
}
