#!/usr/bin/env node
// The fingerprint of what the install check proves: the public surface of
// the packages it installs (their API reports, package.json and config
// schema), the README's "Install into your Backstage" section it follows, and
// the install check itself. `npm test` runs the install check whenever this
// fingerprint differs from the one recorded by the last passing run
// (scripts/install-check.stamp), so every change of that surface is checked.
//
//   node scripts/surface-fingerprint.mjs            prints the fingerprint
//   node scripts/surface-fingerprint.mjs --files    also lists what it hashes
//   node scripts/surface-fingerprint.mjs --check    exit 0 when it matches the stamp, 1 when not
//   node scripts/surface-fingerprint.mjs --stamp STYLES   records a passing run
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const STAMP = join(root, 'scripts', 'install-check.stamp');
// the packages the install check packs and installs
const PACKAGES = ['delivery-common', 'delivery', 'delivery-backend'];

export function readmeInstallSection(readme) {
  const start = readme.indexOf('\n## Install into your Backstage');
  if (start < 0)
    throw new Error(
      'README.md has no "## Install into your Backstage" section',
    );
  const end = readme.indexOf('\n## ', start + 1);
  return readme.slice(start, end < 0 ? undefined : end);
}

function surfaceFiles() {
  const files = [];
  for (const name of PACKAGES) {
    const dir = join(root, 'plugins', name);
    const reports = readdirSync(dir).filter(f => /^report.*\.api\.md$/.test(f));
    if (reports.length === 0)
      throw new Error(`plugins/${name} has no API report`);
    files.push(...reports.sort().map(f => join(dir, f)));
    files.push(join(dir, 'package.json'));
    if (existsSync(join(dir, 'config.d.ts')))
      files.push(join(dir, 'config.d.ts'));
  }
  files.push(join(root, 'scripts', 'install-check.sh'));
  files.push(join(root, 'scripts', 'install-check-apply.mjs'));
  return files;
}

export function fingerprint() {
  const hash = createHash('sha256');
  const parts = [];
  for (const file of surfaceFiles()) {
    // line endings and trailing spaces do not change the surface
    const text = readFileSync(file, 'utf8')
      .replace(/[ \t]+$/gm, '')
      .replace(/\r\n/g, '\n');
    hash.update(`${relative(root, file)}\0${text}\0`);
    parts.push(relative(root, file));
  }
  hash.update(
    `README.md#install\0${readmeInstallSection(
      readFileSync(join(root, 'README.md'), 'utf8'),
    )}`,
  );
  parts.push('README.md (section "Install into your Backstage")');
  return { value: hash.digest('hex'), parts };
}

function readStamp() {
  if (!existsSync(STAMP)) return undefined;
  const match = /^fingerprint (\w+)$/m.exec(readFileSync(STAMP, 'utf8'));
  return match?.[1];
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [mode, ...rest] = process.argv.slice(2);
  const { value, parts } = fingerprint();
  if (mode === '--check') {
    const recorded = readStamp();
    if (recorded === value) {
      console.log(
        `public surface unchanged since the last passing install check (${value.slice(
          0,
          12,
        )})`,
      );
      process.exit(0);
    }
    console.log(
      recorded
        ? `public surface changed since the last passing install check (${recorded.slice(
            0,
            12,
          )} -> ${value.slice(0, 12)})`
        : 'no passing install check is recorded (scripts/install-check.stamp)',
    );
    process.exit(1);
  } else if (mode === '--stamp') {
    const styles = rest.join(' ') || 'new legacy';
    writeFileSync(
      STAMP,
      [
        '# Written by `npm run install-check` when it passes for both app styles;',
        '# `npm test` runs the install check again when the fingerprint of the',
        '# public surface (scripts/surface-fingerprint.mjs) no longer matches.',
        `fingerprint ${value}`,
        `styles ${styles}`,
        '',
      ].join('\n'),
    );
    console.log(
      `recorded ${value.slice(0, 12)} in scripts/install-check.stamp`,
    );
  } else {
    console.log(value);
    if (mode === '--files') parts.forEach(p => console.log(`  ${p}`));
  }
}
