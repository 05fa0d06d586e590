// Risk: docs/configuration.md or a service's .env.example describe configuration the services no
// longer read, miss what they do read, or show a default they no longer use.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  CONFIGURATION_DOC,
  envExampleFile,
  renderConfigTable,
  renderEnvExample,
  serviceConfigs,
  type ConfiguredService,
} from '../config-reference.js';

const repoRoot = join(__dirname, '..', '..', '..');
const services = Object.keys(serviceConfigs) as ConfiguredService[];

describe('the configuration table of docs/configuration.md', () => {
  it('is the one generated from the services’ config contracts (run `pnpm docs:config` after changing a variable)', () => {
    const doc = readFileSync(join(repoRoot, CONFIGURATION_DOC), 'utf8');
    expect(doc).toContain(renderConfigTable());
  });

  it('shows every variable with its description and the default its schema declares', () => {
    const table = renderConfigTable();
    expect(table.split('\n').length).toBeGreaterThan(40);
    expect(table).toContain('| ingest-api | `PORT` | `4000` | Port of the public API. |');
    expect(table).toContain(
      '| ingest-api | `ADMIN_TOKEN` | `required` | Bearer token for the /admin routes. |',
    );
    expect(table).toContain('| deliverer | `DISABLE_WEBHOOK_DELIVERY` | `false` |');
    expect(table).toContain('| webhook-sink | `SINK_SECRETS_FILE` | `optional` |');
  });
});

describe.each(services)('services/%s/.env.example', (service) => {
  it('is the one generated from its config contract (run `pnpm docs:config` after changing a variable)', () => {
    expect(readFileSync(join(repoRoot, envExampleFile(service)), 'utf8')).toBe(renderEnvExample(service));
  });

  it('names every variable the service reads, required ones uncommented', () => {
    const example = renderEnvExample(service);
    for (const v of serviceConfigs[service].variables) {
      expect(example).toContain(v.kind === 'required' ? `\n${v.name}=\n` : `\n# ${v.name}=`);
    }
  });
});
