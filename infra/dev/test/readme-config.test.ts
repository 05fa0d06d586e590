// Risk: the README documents configuration the services no longer read, or misses what they do read.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readConfigReference, renderConfigTable } from '../config-reference.js';

const repoRoot = join(__dirname, '..', '..', '..');

describe('the README configuration table', () => {
  it('is the one generated from the services’ config.ts (run `pnpm docs:config` after changing a variable)', () => {
    const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
    expect(readme).toContain(renderConfigTable(readConfigReference(repoRoot)));
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
