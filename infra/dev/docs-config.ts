// `pnpm docs:config`: regenerates the table of docs/configuration.md from the services' config.ts.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CONFIGURATION_DOC, readConfigReference, renderConfigTable } from './config-reference.js';
import { repoRoot } from './paths.js';

const START = '<!-- config:start -->';
const END = '<!-- config:end -->';
const doc = join(repoRoot, CONFIGURATION_DOC);
const text = readFileSync(doc, 'utf8');
const [before, rest] = [text.slice(0, text.indexOf(START)), text.slice(text.indexOf(END))];
if (!text.includes(START) || !text.includes(END))
  throw new Error(`${CONFIGURATION_DOC} needs ${START} and ${END} markers`);
writeFileSync(doc, `${before}${START}\n${renderConfigTable(readConfigReference(repoRoot))}\n${rest}`);
console.log(`${CONFIGURATION_DOC}: configuration table updated`);
