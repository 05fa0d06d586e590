// Risk: an alert that stays silent through the failure it is named for, or pages an idle system.
// Prometheus' own rule engine (promtool) evaluates every alert over series that play its failure,
// and over an idle system.
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { parse } from 'yaml';
import { loadRuleGroups, type AlertRule } from '../src/alert-rules.js';
import { runPromtool } from '../src/promtool.js';
import { paths } from '../src/repo.js';

interface AlertTest {
  eval_time: string;
  alertname: string;
  exp_alerts: { exp_labels?: Record<string, string> }[];
}

const ruleTests = parse(readFileSync(paths.alertRuleTests, 'utf8')) as {
  rule_files: string[];
  tests: { name: string; alert_rule_test?: AlertTest[] }[];
};
const alerts = loadRuleGroups()
  .flatMap((g) => g.rules)
  .filter((r): r is AlertRule & { alert: string } => r.alert !== undefined);
/** An alert rule by name and the labels that tell rules of one name apart (TriggersServiceAbsent). */
const named = (rule: AlertRule) => `${rule.alert}${rule.labels?.job ? ` (${rule.labels.job})` : ''}`;
const checks = (testName?: string) =>
  ruleTests.tests
    .filter((t) => testName === undefined || t.name === testName)
    .flatMap((t) => t.alert_rule_test ?? []);
const minutes = (duration: string) => Number(/^(\d+)m$/.exec(duration)?.[1] ?? Number.NaN);

describe('the alert rules under promtool', () => {
  it('pass promtool check rules', () => {
    const result = runPromtool(['check', 'rules', basename(paths.alertRules)]);
    expect(result).toMatchObject({ status: 0 });
  });

  it(`pass their tests (${basename(paths.alertRuleTests)})`, () => {
    expect(ruleTests.rule_files).toEqual([basename(paths.alertRules)]);
    const result = runPromtool(['test', 'rules', basename(paths.alertRuleTests)]);
    expect({ status: result.status, output: result.output }).toEqual({
      status: 0,
      output: expect.any(String),
    });
  });

  it.each(alerts.map((r) => [named(r), r] as const))('%s has a test that fires it', (_name, rule) => {
    const expected = checks()
      .filter((c) => c.alertname === rule.alert)
      .flatMap((c) => c.exp_alerts);
    const fired = expected.filter((e) =>
      Object.entries(rule.labels ?? {}).every(([label, value]) => e.exp_labels?.[label] === value),
    );
    expect(fired.length).toBeGreaterThanOrEqual(1);
  });

  it.each(alerts.map((r) => [named(r), r] as const))(
    '%s stays quiet on an idle system, long after any `for` and window',
    (_name, rule) => {
      const idle = checks('an idle system').filter((c) => c.alertname === rule.alert);
      expect(idle.length).toBeGreaterThanOrEqual(1);
      for (const check of idle) expect(check.exp_alerts).toEqual([]);
      expect(Math.max(...idle.map((c) => minutes(c.eval_time)))).toBeGreaterThanOrEqual(30);
    },
  );
});
