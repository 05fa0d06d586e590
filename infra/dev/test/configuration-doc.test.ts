// Risk: docs/configuration.md lists settings the services no longer read, or misses ones they do read.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CONFIGURATION_DOC, readConfigReference, renderConfigTable } from '../config-reference.js';

const repoRoot = join(__dirname, '..', '..', '..');

describe('the configuration table of docs/configuration.md', () => {
  it('is the one generated from the services’ config.ts (run `pnpm docs:config` after changing a variable)', () => {
    const doc = readFileSync(join(repoRoot, CONFIGURATION_DOC), 'utf8');
    expect(doc).toContain(renderConfigTable(readConfigReference(repoRoot)));
  });

  it('finds every variable with a description', () => {
    const variables = readConfigReference(repoRoot);
    expect(variables.length).toBeGreaterThan(40);
    for (const v of variables) expect(v.description).not.toBe('');
    expect(variables).toContainEqual(
      expect.objectContaining({ service: 'ingest-api', name: 'PORT', default: '4000' }),
    );
    expect(variables).toContainEqual(
      expect.objectContaining({ service: 'ingest-api', name: 'ADMIN_TOKEN', default: 'required' }),
    );
  });
});
