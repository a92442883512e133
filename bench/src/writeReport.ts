import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { prettierFormat } from './lib/prettierFormat';
import { toMarkdown, type BenchResults } from './report';

// `yarn workspace bench report`: re-renders results/latest.md from
// results/latest.json (same numbers, current table layout), no measuring.
// eslint-disable-next-line no-restricted-syntax -- bench runs from source, never bundled
const dir = resolve(__dirname, '..', 'results');
const results = JSON.parse(
  readFileSync(resolve(dir, 'latest.json'), 'utf8'),
) as BenchResults;
const log = (line: string) => process.stdout.write(`${line}\n`);
const mdFile = resolve(dir, 'latest.md');
writeFileSync(mdFile, prettierFormat(log, mdFile, toMarkdown(results)));
process.stdout.write(`wrote ${resolve(dir, 'latest.md')}\n`);
