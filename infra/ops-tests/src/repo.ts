import { join } from 'node:path';
import { findWorkspaceRoot } from '@triggers/local-services';

/** The repository root (the folder holding pnpm-workspace.yaml). */
export const repoRoot = findWorkspaceRoot(__dirname) ?? join(__dirname, '..', '..', '..');

/** Paths of the operations files these tests check. */
export const paths = {
  chart: join(repoRoot, 'k8s'),
  productionValues: join(repoRoot, 'k8s', 'values-production.yaml'),
  dockerfile: join(repoRoot, 'Dockerfile'),
  dockerignore: join(repoRoot, '.dockerignore'),
  compose: join(repoRoot, 'docker-compose.yml'),
  grafana: join(repoRoot, 'infra', 'grafana'),
  dashboards: join(repoRoot, 'infra', 'grafana', 'dashboards'),
  prometheus: join(repoRoot, 'infra', 'prometheus'),
  alertRules: join(repoRoot, 'infra', 'prometheus', 'alerts.yml'),
  alertRuleTests: join(repoRoot, 'infra', 'prometheus', 'alerts.test.yml'),
  prometheusConfig: join(repoRoot, 'infra', 'prometheus', 'prometheus.yml'),
  rootPackageJson: join(repoRoot, 'package.json'),
  nvmrc: join(repoRoot, '.nvmrc'),
  service: (name: string) => join(repoRoot, 'services', name),
};
