import { createRequire } from 'node:module';
import type { Manifest } from './helm.js';

/**
 * Where the model of each API group lives: the core groups in kubernetes-models, KEDA's and the
 * Prometheus operator's in their own packages. (The CommonJS builds: jest's runtime loads those.)
 */
function modelModule(apiVersion: string): string {
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
  if (group === 'keda.sh') return `@kubernetes-models/keda/keda.sh/${version}`;
  if (group === 'monitoring.coreos.com')
    return `@kubernetes-models/prometheus-operator/monitoring.coreos.com/${version}`;
  return group ? `kubernetes-models/${group}/${version}` : `kubernetes-models/${version}`;
}

interface Model {
  validate(): void;
}
type ModelClass = new (data: unknown) => Model;

const requireModel = createRequire(__filename);

/**
 * Validates one resource against the schema of its apiVersion and kind; throws with the schema's
 * complaint, or when no schema is known for it (an API that does not exist, or a misspelt kind).
 * Unknown fields are not rejected by these schemas.
 */
export function validateManifest(manifest: Manifest): void {
  let exports: Record<string, unknown>;
  try {
    exports = requireModel(modelModule(manifest.apiVersion)) as Record<string, unknown>;
  } catch {
    throw new Error(`no schema for apiVersion ${manifest.apiVersion}`);
  }
  const ModelOfKind = exports[manifest.kind] as ModelClass | undefined;
  if (typeof ModelOfKind !== 'function') {
    throw new Error(`no schema for ${manifest.kind} in ${manifest.apiVersion}`);
  }
  new ModelOfKind(manifest).validate();
}
