import type { Manifest } from './helm.js';
import { requiredPlaceholders, type Environment } from './service-config.js';

export const COMPONENT_LABEL = 'app.kubernetes.io/component';

/* eslint-disable @typescript-eslint/no-explicit-any -- rendered manifests are checked field by field */
export type PodSpec = any;
export type Container = any;

export interface Workload {
  manifest: Manifest;
  component: string;
  podLabels: Record<string, string>;
  podSpec: PodSpec;
}

export function ofKind(manifests: Manifest[], kind: string): Manifest[] {
  return manifests.filter((m) => m.kind === kind);
}

export function named(manifests: Manifest[], kind: string, name: string): Manifest | undefined {
  return manifests.find((m) => m.kind === kind && m.metadata.name === name);
}

/** Deployments and Jobs, with their pod templates. */
export function workloads(manifests: Manifest[]): Workload[] {
  return manifests
    .filter((m) => m.kind === 'Deployment' || m.kind === 'Job')
    .map((manifest) => ({
      manifest,
      component: manifest.metadata.labels?.[COMPONENT_LABEL] ?? manifest.metadata.name,
      podLabels: (manifest.spec.template.metadata?.labels ?? {}) as Record<string, string>,
      podSpec: manifest.spec.template.spec as PodSpec,
    }));
}

/** Whether `labels` satisfy a matchLabels selector (matchExpressions are not used by the chart). */
export function selects(
  selector: Record<string, string> | undefined,
  labels: Record<string, string>,
): boolean {
  const entries = Object.entries(selector ?? {});
  return entries.length > 0 && entries.every(([key, value]) => labels[key] === value);
}

export interface ContainerEnvironment {
  /** Every variable name the container gets, from env and from envFrom ConfigMaps. */
  names: string[];
  /** Their values as the pod would see them; Secret references become valid placeholders. */
  values: Environment;
  /** Names whose value comes from a Secret. */
  fromSecrets: string[];
}

/** The environment a container runs with, resolving ConfigMaps from the same render. */
export function containerEnvironment(container: Container, manifests: Manifest[]): ContainerEnvironment {
  const values: Environment = {};
  const fromSecrets: string[] = [];
  for (const source of (container.envFrom ?? []) as any[]) {
    const name: string | undefined = source.configMapRef?.name;
    if (!name) throw new Error(`envFrom other than a ConfigMap is not supported: ${JSON.stringify(source)}`);
    const configMap = named(manifests, 'ConfigMap', name);
    if (!configMap) throw new Error(`envFrom names ConfigMap ${name}, which the chart does not render`);
    Object.assign(values, configMap.data ?? {});
  }
  for (const variable of (container.env ?? []) as any[]) {
    if (variable.valueFrom?.secretKeyRef) {
      fromSecrets.push(variable.name);
      values[variable.name] = requiredPlaceholders[variable.name] ?? 'secret-placeholder';
    } else {
      values[variable.name] = variable.value;
    }
  }
  return { names: Object.keys(values), values, fromSecrets };
}

/** A container port by name or number, as probes and Services refer to it. */
export function containerPort(container: Container, port: string | number): number | undefined {
  if (typeof port === 'number') return port;
  const found = ((container.ports ?? []) as any[]).find((p) => p.name === port);
  return found?.containerPort as number | undefined;
}
