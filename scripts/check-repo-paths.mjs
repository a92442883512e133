#!/usr/bin/env node
// Fails when a tracked file references a path outside the repository: a
// relative path that climbs above the repository root from the file's own
// folder (`../../../shared/...`), or an absolute path into the folder that
// holds the repository. A clone has nothing beside it, so such a path works
// only on the machine it was written on. Run by `npm test`'s static checks.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, relative, resolve, sep } from 'node:path';

const root = resolve(dirname(new URL(import.meta.url).pathname), '..');
const parent = dirname(root);

// verbatim copies of upstream material and generated or vendored files
const skipped = [
  /^scripts\/check-repo-paths\.mjs$/, // its own comments and patterns
  /^packages\/test-data\/(fixtures|contracts)\//,
  /^yarn\.lock$/,
  /^\.yarn\//,
  /\.(png|jpe?g|gif|ico|woff2?|ttf|tgz|gz|zip)$/,
];

const files = execFileSync('git', ['ls-files', '-z'], { cwd: root })
  .toString()
  .split('\0')
  .filter(file => file && !skipped.some(re => re.test(file)));

// `../` chains, optionally followed by a path (`../../shared/fixtures`), and
// quoted `'..'` path segments as in resolve(__dirname, '..', '..').
const climbing = /(?<![\w.])((?:\.\.\/)+)([\w@.-][\w@./-]*)?/g;
const segments = /(['"])\.\.\1(?:\s*,\s*(['"])\.\.\2)+/g;
const absolute = new RegExp(
  `${parent.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/(?!${root
    .slice(parent.length + 1)
    .replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?:/|\\b))[\\w.-]+`,
  'g',
);

// Files whose relative paths are read from another folder than their own:
// Backstage's backend resolves app-config paths from its working directory.
const baseOf = file =>
  /^app-config[\w.-]*\.yaml$/.test(file)
    ? resolve(root, 'packages/backend')
    : dirname(resolve(root, file));

const outside = target => target !== root && !target.startsWith(root + sep);

const problems = [];
for (const file of files) {
  let text;
  try {
    text = readFileSync(resolve(root, file), 'utf8');
  } catch {
    continue; // deleted in the working tree
  }
  if (text.includes('\0')) continue; // binary
  const dir = baseOf(file);
  text.split('\n').forEach((line, index) => {
    const where = `${file}:${index + 1}`;
    // a shell line that first changes folder (`cd "$dir/x" && ...`) names
    // paths relative to that folder, not to the script's
    const relativeToCd = /\bcd\s+("[^"]*"|\S+)\s*&&/.test(line);
    for (const match of relativeToCd ? [] : line.matchAll(climbing)) {
      const target = resolve(dir, match[1] + (match[2] ?? ''));
      if (outside(target)) {
        problems.push(
          `${where}: "${match[0]}" leaves the repository (${relative(
            root,
            target,
          )})`,
        );
      }
    }
    for (const match of line.matchAll(segments)) {
      const ups = match[0].split(',').length;
      if (outside(resolve(dir, ...Array(ups).fill('..')))) {
        problems.push(`${where}: ${match[0]} climbs above the repository root`);
      }
    }
    if (
      /\.\.\/shared\b/.test(line) &&
      !problems.some(p => p.startsWith(`${where}:`))
    ) {
      problems.push(`${where}: names ../shared, which a clone does not have`);
    }
    for (const match of line.matchAll(absolute)) {
      problems.push(`${where}: "${match[0]}" is outside the repository`);
    }
  });
}

if (problems.length > 0) {
  console.error(
    `${problems.length} reference(s) to paths outside the repository:`,
  );
  for (const problem of problems) console.error(`  ${problem}`);
  console.error(
    'Copy what is needed into the repository (packages/test-data/README.md) and refer to it from there.',
  );
  process.exit(1);
}
console.log(
  `no tracked file (${files.length} checked) refers to a path outside the repository`,
);
