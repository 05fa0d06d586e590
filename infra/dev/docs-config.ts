// `pnpm docs:config`: regenerates the README's configuration table from the services' config.ts.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readConfigReference, renderConfigTable } from './config-reference.js';
import { repoRoot } from './paths.js';

const START = '<!-- config:start -->';
const END = '<!-- config:end -->';
const readme = join(repoRoot, 'README.md');
const text = readFileSync(readme, 'utf8');
const [before, rest] = [text.slice(0, text.indexOf(START)), text.slice(text.indexOf(END))];
if (!text.includes(START) || !text.includes(END))
  throw new Error(`README.md needs ${START} and ${END} markers`);
writeFileSync(readme, `${before}${START}\n${renderConfigTable(readConfigReference(repoRoot))}\n${rest}`);
console.log('README.md configuration table updated');
