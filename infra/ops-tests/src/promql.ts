import type { SyntaxNode } from '@lezer/common';
import { parser } from '@prometheus-io/lezer-promql';

export interface LabelMatcher {
  label: string;
  op: string;
  value: string;
}

export interface Selector {
  /** The metric name, or undefined for a `{__name__=~"..."}`-only selector. */
  metric: string | undefined;
  matchers: LabelMatcher[];
}

export interface Grouping {
  /** Labels of a `by (...)` clause. */
  labels: string[];
  /** Metrics selected inside the aggregation: the labels must come from them. */
  metrics: string[];
}

export interface PromqlAnalysis {
  /** Offsets of syntax errors; empty when the expression parses. */
  errors: number[];
  selectors: Selector[];
  groupings: Grouping[];
}

/** Grafana's own variables, replaced by a sample value so that the query parses as PromQL. */
const GRAFANA_VARIABLES: Record<string, string> = {
  __rate_interval: '1m',
  __interval: '1m',
  __range: '1h',
};

export function withGrafanaVariables(expr: string): string {
  return expr.replace(
    /\$\{?(__rate_interval|__interval|__range)\}?/g,
    (_m, name: string) => GRAFANA_VARIABLES[name]!,
  );
}

/** The selectors, `by` groupings and syntax errors of one PromQL expression. */
export function analyzePromql(expr: string): PromqlAnalysis {
  const tree = parser.parse(expr);
  const text = (node: SyntaxNode) => expr.slice(node.from, node.to);
  const errors: number[] = [];
  const selectors: Selector[] = [];
  const groupings: Grouping[] = [];

  const selectorOf = (node: SyntaxNode): Selector => {
    const identifier = node.getChild('Identifier');
    const matchers: LabelMatcher[] = [];
    for (const matcher of node.getChild('LabelMatchers')?.getChildren('UnquotedLabelMatcher') ?? []) {
      const label = matcher.getChild('LabelName');
      const op = matcher.getChild('MatchOp');
      const value = matcher.getChild('StringLiteral');
      if (label && op && value) {
        matchers.push({ label: text(label), op: text(op), value: JSON.parse(text(value)) as string });
      }
    }
    const nameMatcher = matchers.find((m) => m.label === '__name__' && m.op === '=');
    return {
      metric: identifier ? text(identifier) : nameMatcher?.value,
      matchers: matchers.filter((m) => m.label !== '__name__'),
    };
  };

  const metricsUnder = (node: SyntaxNode): string[] => {
    const found: string[] = [];
    const cursor = node.cursor();
    const end = node.to;
    while (cursor.next() && cursor.from < end) {
      if (cursor.name === 'VectorSelector') {
        const metric = selectorOf(cursor.node).metric;
        if (metric) found.push(metric);
      }
    }
    return found;
  };

  const cursor = tree.cursor();
  do {
    if (cursor.type.isError) errors.push(cursor.from);
    if (cursor.name === 'VectorSelector') selectors.push(selectorOf(cursor.node));
    if (cursor.name === 'AggregateExpr') {
      const modifier = cursor.node.getChild('AggregateModifier');
      if (modifier?.getChild('By')) {
        const labels = (modifier.getChild('GroupingLabels')?.getChildren('LabelName') ?? []).map(text);
        groupings.push({ labels, metrics: metricsUnder(cursor.node) });
      }
    }
  } while (cursor.next());
  return { errors, selectors, groupings };
}
