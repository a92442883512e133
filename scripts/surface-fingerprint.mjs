#!/usr/bin/env node
// The fingerprint of everything the install check (scripts/install-check.sh)
// exercises: the source, package.json and config schema of every plugin it
// packs and installs, the sandbox its backends run against, the version pins
// and lockfile, the README's "Install into your Backstage" section it
// follows, and the check's own scripts. Tests, test utilities and docs other
// than that section are left out: they do not change what an installed app
// does. `npm test` runs the install check whenever this fingerprint differs
// from the one the last passing run recorded in scripts/install-check.stamp.
//
//   node scripts/surface-fingerprint.mjs             prints the fingerprint
//   node scripts/surface-fingerprint.mjs --files     also lists what it hashes
//   node scripts/surface-fingerprint.mjs --check     exit 0 and say why the check may be
//                                                    skipped when it matches the stamp;
//                                                    exit 1 and say what changed when not
//   node scripts/surface-fingerprint.mjs --record-pass SECONDS EVIDENCE...
//                                                    called by install-check.sh after a
//                                                    passing run of every app
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const STAMP = join(root, 'scripts', 'install-check.stamp');

// what the check packs, installs, runs against, pins and follows
const PATHSPECS = [
  'plugins',
  'packages/sandbox',
  'packages/test-data/backstage-1.55-resolutions.json',
  'package.json',
  'yarn.lock',
  'tsconfig.json',
  'scripts/install-check.sh',
  'scripts/install-check-apply.mjs',
  'scripts/install-check-probe.mjs',
  'scripts/surface-fingerprint.mjs',
  'scripts/toolchain.sh',
];
// not part of what an installed app runs
const LEFT_OUT = [
  /\.test\.[cm]?[jt]sx?$/,
  /(^|\/)__(testUtils|fixtures|mocks)__\//,
  /(^|\/)setupTests\.[jt]sx?$/,
  /^plugins\/[^/]+\/dev\//,
  /\.md$/,
];

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
  return execFileSync('git', ['ls-files', '-z', '--', ...PATHSPECS], {
    cwd: root,
  })
    .toString()
    .split('\0')
    .filter(file => file && !LEFT_OUT.some(re => re.test(file)))
    .filter(file => existsSync(join(root, file)))
    .sort();
}

export function fingerprint() {
  const hash = createHash('sha256');
  const parts = surfaceFiles();
  for (const file of parts) {
    // line endings and trailing spaces do not change what runs
    const text = readFileSync(join(root, file), 'utf8')
      .replace(/[ \t]+$/gm, '')
      .replace(/\r\n/g, '\n');
    hash.update(`${file}\0${text}\0`);
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
  if (!existsSync(STAMP)) return {};
  const fields = {};
  for (const line of readFileSync(STAMP, 'utf8').split('\n')) {
    const match = /^(\w+) (.*)$/.exec(line);
    if (match && !line.startsWith('#')) fields[match[1]] ??= match[2];
  }
  return fields;
}

function git(...args) {
  try {
    return execFileSync('git', args, {
      cwd: root,
      stdio: ['ignore', 'pipe', 'ignore'],
    })
      .toString()
      .trim();
  } catch {
    return '';
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [mode, ...rest] = process.argv.slice(2);
  const { value, parts } = fingerprint();
  if (mode === '--check') {
    const stamp = readStamp();
    if (stamp.fingerprint === value && stamp.result?.startsWith('passed')) {
      console.log(
        `nothing it exercises changed since it ${stamp.result} at commit ${
          stamp.commit ?? '?'
        } on ${stamp.date ?? '?'} (fingerprint ${value.slice(0, 12)}, ${
          parts.length
        } files)`,
      );
      process.exit(0);
    }
    console.log(
      stamp.fingerprint
        ? `what it exercises changed since its last pass at commit ${
            stamp.commit ?? '?'
          } (${stamp.fingerprint.slice(0, 12)} -> ${value.slice(0, 12)})`
        : 'no passing install check is recorded in scripts/install-check.stamp',
    );
    process.exit(1);
  } else if (mode === '--record-pass') {
    const [seconds, ...evidence] = rest;
    if (!/^\d+$/.test(seconds ?? '') || evidence.length < 2) {
      console.error(
        'usage: --record-pass SECONDS EVIDENCE... (one line per app)',
      );
      process.exit(2);
    }
    const head = git('rev-parse', 'HEAD') || 'unknown';
    const dirty = git('status', '--porcelain', '--untracked-files=no') !== '';
    writeFileSync(
      STAMP,
      [
        '# Written by scripts/install-check.sh after the install check passed for',
        '# every app (README, "The install check"); `npm test` runs the check again',
        '# when the fingerprint of what it exercises',
        '# (node scripts/surface-fingerprint.mjs --files) differs.',
        `fingerprint ${value}`,
        `commit ${head}${dirty ? ' (with uncommitted changes)' : ''}`,
        `date ${new Date().toISOString()}`,
        `result passed in ${seconds} s`,
        ...evidence.map(line => `evidence ${line}`),
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
