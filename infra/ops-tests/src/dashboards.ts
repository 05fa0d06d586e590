import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Query } from './metric-references.js';
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
