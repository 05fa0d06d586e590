import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import type { Query } from './metric-references.js';
import { paths } from './repo.js';

export interface AlertRule {
  alert?: string;
  record?: string;
  expr: string;
  for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

export interface RuleGroup {
  name: string;
  rules: AlertRule[];
}

export function loadRuleGroups(file = paths.alertRules): RuleGroup[] {
  return (parse(readFileSync(file, 'utf8')) as { groups: RuleGroup[] }).groups;
}

export function alertQueries(): Query[] {
  return loadRuleGroups().flatMap((g) =>
    g.rules.map((r) => ({ source: `alerts.yml › ${r.alert ?? r.record}`, expr: r.expr })),
  );
}
