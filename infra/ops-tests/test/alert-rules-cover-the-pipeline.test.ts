// Risk: an alert that never fires because its rule is malformed, lacks what an operator needs, or
// is missing for a failure the system is known to have.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadRuleGroups, type AlertRule } from '../src/alert-rules.js';
import { analyzePromql } from '../src/promql.js';
import { repoRoot } from '../src/repo.js';

const rules = loadRuleGroups().flatMap((g) => g.rules);
const byName = (name: string) => rules.find((r) => r.alert === name);

describe('the Prometheus alert rules', () => {
  it.each(rules.map((r) => [r.alert ?? r.record, r] as const))(
    '%s parses and says what and how bad',
    (_n, rule) => {
      expect(analyzePromql(rule.expr).errors).toEqual([]);
      expect(rule.alert).toMatch(/^Triggers[A-Z]\w+$/);
      expect(['warning', 'critical']).toContain(rule.labels?.severity);
      expect(rule.annotations).toEqual({
        summary: expect.any(String),
        description: expect.any(String),
        // The runbook's section of this alert, relative to the repository (the chart can prefix it).
        runbook_url: `docs/runbook.md#${rule.alert!.toLowerCase()}`,
      });
    },
  );

  it('link runbook sections that exist', () => {
    const runbook = readFileSync(join(repoRoot, 'docs', 'runbook.md'), 'utf8');
    const sections = new Set([...runbook.matchAll(/^## (\S+)$/gm)].map((m) => m[1]!.toLowerCase()));
    const missing = rules.filter((r) => !sections.has(r.annotations!.runbook_url!.split('#')[1]!));
    expect(missing.map((r) => r.alert)).toEqual([]);
  });

  it('have unique names, or labels that tell rules of one name apart', () => {
    const keys = rules.map((r) => `${r.alert} ${JSON.stringify(r.labels)}`);
    expect(new Set(keys).size).toBe(keys.length);
  });

  const required: [string, (r: AlertRule) => boolean][] = [
    [
      'queue depth above 1,000 for 5 minutes',
      (r) => /triggers_event_queue_depth\)? > 1000/.test(r.expr) && r.for === '5m',
    ],
    [
      'ingest p95 above 10 ms',
      (r) =>
        /histogram_quantile\(0\.95,[\s\S]*triggers_http_request_duration_seconds_bucket[\s\S]*> 0\.01/.test(
          r.expr,
        ),
    ],
    [
      'processing slower than ingestion for 10 minutes',
      (r) =>
        r.expr.includes('triggers_events_processed_total') &&
        r.expr.includes('triggers_events_accepted_total') &&
        r.for === '10m',
    ],
    ['the dead letter queue growing', (r) => r.expr.includes('triggers_dead_deliveries')],
    ['a service down', (r) => /\bup\{/.test(r.expr)],
    ['the sweeper re-enqueueing', (r) => r.expr.includes('triggers_sweeper_reenqueued_total')],
  ];

  it.each(required)('include one for %s', (_what, matches) => {
    expect(rules.filter(matches).length).toBeGreaterThanOrEqual(1);
  });

  it('keep firing when no processor reports at all', () => {
    expect(byName('TriggersProcessingSlowerThanIngestion')!.expr).toContain('or vector(0)');
  });

  it('never page for a row Postgres refused: it fails only its own request', () => {
    const paging = rules.filter(
      (r) => r.labels?.severity === 'critical' && r.expr.includes('triggers_group_commit_failures_total'),
    );
    expect(paging.length).toBeGreaterThanOrEqual(1);
    for (const r of paging) expect(r.expr).toContain('kind="unavailable"');
    expect(byName('TriggersIngestRowsRefused')?.labels?.severity).toBe('warning');
  });
});
