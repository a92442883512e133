#!/usr/bin/env node
// Runs a template of this folder through the scaffolder's dry-run API (the
// template editor's, POST /api/scaffolder/v2/dry-run) as the demo's guest,
// then commits the generated files and pushes them to a local bare git
// repository. A way to "publish" in the demo, which has no GitHub.
//
//   node templates/dry-run-to-git.mjs --repo /tmp/payments-api.git \
//     [--backend http://localhost:7007] [--template service-with-canary] \
//     [--set name=payments-api] [--set 'environments=["dev","production"]']
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));

function parseArgs(argv) {
  const args = {
    backend: 'http://localhost:7007',
    template: 'service-with-canary',
    repo: undefined,
    set: {},
  };
  for (let i = 0; i < argv.length; i += 2) {
    const [flag, value] = [argv[i], argv[i + 1]];
    if (value === undefined) throw new Error(`${flag} needs a value`);
    if (flag === '--set') {
      const eq = value.indexOf('=');
      if (eq < 1) throw new Error(`--set ${value}: use key=value`);
      const raw = value.slice(eq + 1);
      let parsed = raw;
      try {
        parsed = JSON.parse(raw);
      } catch {
        // a plain string
      }
      args.set[value.slice(0, eq)] = parsed;
    } else if (['--backend', '--template', '--repo'].includes(flag)) {
      args[flag.slice(2)] = value;
    } else {
      throw new Error(`unknown option ${flag}`);
    }
  }
  if (!args.repo)
    throw new Error('--repo <path of a bare git repository> is required');
  return args;
}

function listFiles(dir, prefix = '') {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap(entry => {
    const relative = prefix ? `${prefix}/${entry.name}` : entry.name;
    return entry.isDirectory()
      ? listFiles(path.join(dir, entry.name), relative)
      : [relative];
  });
}

async function readYaml(file) {
  // the repo's own yaml package (a dependency of the workspace)
  const { parse } = await import('yaml');
  return parse(fs.readFileSync(file, 'utf8'));
}

function formDefaults(template) {
  const values = {};
  for (const page of [template.spec.parameters].flat()) {
    for (const [key, schema] of Object.entries(page.properties ?? {})) {
      if (schema.default !== undefined) values[key] = schema.default;
    }
  }
  return values;
}

function git(cwd, ...args) {
  return execFileSync('git', args, {
    cwd,
    stdio: ['ignore', 'pipe', 'inherit'],
  })
    .toString()
    .trim();
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const dir = path.join(here, args.template);
  const template = await readYaml(path.join(dir, 'template.yaml'));
  const name = args.set.name ?? 'payments-api';
  const values = {
    ...formDefaults(template),
    name,
    owner: 'group:default/team-storefront',
    system: 'system:default/storefront',
    repoUrl: `github.com?owner=acme&repo=${name}`,
    ...args.set,
  };

  const refresh = await fetch(`${args.backend}/api/auth/guest/refresh`, {
    headers: { 'X-Requested-With': 'XMLHttpRequest' },
  });
  if (!refresh.ok) throw new Error(`guest sign-in failed: ${refresh.status}`);
  const token = (await refresh.json()).backstageIdentity.token;

  const response = await fetch(`${args.backend}/api/scaffolder/v2/dry-run`, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      Authorization: `Bearer ${token}`,
    },
    body: JSON.stringify({
      template,
      values,
      directoryContents: listFiles(dir).map(file => ({
        path: file,
        base64Content: fs.readFileSync(path.join(dir, file)).toString('base64'),
      })),
    }),
  });
  const body = await response.json();
  for (const entry of body.log ?? []) {
    if (entry.body?.message)
      console.log(`  ${entry.body.message.split('\n')[0]}`);
  }
  if (!response.ok) {
    throw new Error(
      `dry run failed (${response.status}): ${
        body.error?.message ?? JSON.stringify(body)
      }`,
    );
  }

  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'dry-run-to-git-'));
  for (const file of body.directoryContents) {
    const target = path.join(work, file.path);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, Buffer.from(file.base64Content, 'base64'), {
      mode: file.executable ? 0o755 : 0o644,
    });
  }
  const bare = path.resolve(args.repo);
  if (!fs.existsSync(bare)) {
    execFileSync('git', [
      'init',
      '--quiet',
      '--bare',
      '--initial-branch=main',
      bare,
    ]);
  }
  git(work, 'init', '--quiet', '--initial-branch=main');
  git(work, 'add', '-A');
  git(
    work,
    '-c',
    'user.name=Backstage scaffolder (dry run)',
    '-c',
    'user.email=scaffolder@localhost',
    'commit',
    '--quiet',
    '-m',
    `Create ${name} from template ${args.template}`,
  );
  git(work, 'push', '--quiet', bare, 'HEAD:refs/heads/main');
  fs.rmSync(work, { recursive: true, force: true });
  console.log(
    `${body.directoryContents.length} files pushed to ${bare} (branch main); clone with: git clone ${bare}`,
  );
}

main().catch(error => {
  console.error(`dry-run-to-git: ${error.message}`);
  process.exit(1);
});
