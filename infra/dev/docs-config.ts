// `pnpm docs:config`: regenerates the configuration table and each service's .env.example from the
// services' config contracts.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  CONFIGURATION_DOC,
  envExampleFile,
  renderEnvExample,
  serviceConfigs,
  withConfigTable,
  type ConfiguredService,
} from './config-reference.js';
import { repoRoot } from './paths.js';

const tableFile = join(repoRoot, CONFIGURATION_DOC);
writeFileSync(tableFile, withConfigTable(readFileSync(tableFile, 'utf8')));
console.log(`${CONFIGURATION_DOC}: configuration table updated`);
for (const service of Object.keys(serviceConfigs) as ConfiguredService[]) {
  writeFileSync(join(repoRoot, envExampleFile(service)), renderEnvExample(service));
  console.log(`${envExampleFile(service)} written`);
}
