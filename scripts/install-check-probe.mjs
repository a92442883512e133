// What scripts/install-check.sh asks of an installed app, beyond the
// overview: that the packed packages' Backstage dependency ranges admit what
// the app runs, the scaffolder module's dry run, and the tab in Chromium.
//
//   node scripts/install-check-probe.mjs ranges <app dir> <tarballs.json>
//     every @backstage/* dependency range of the packed packages admits the
//     version the app has installed (so no second copy is needed), and no
//     packed package got a nested copy of a Backstage package
//   node scripts/install-check-probe.mjs versions <dir> <package.json or .tgz>...
//     the lockfile of <dir> resolves each @backstage/* dependency of the
//     given manifests to a single version (what `backstage-cli versions:check`
//     checked; CLI 0.36 no longer has that command)
//   node scripts/install-check-probe.mjs dry-run <backend base URL> <instance>
//     POST /api/scaffolder/v2/dry-run of a template with
//     delivery:argocd:create-application against the configured <instance>;
//     passes when the step ran without a warning and says what it would do
//   node scripts/install-check-probe.mjs browser <base URL> <entity path> <screenshot.png>
//     the built frontend, served by the app's backend, in Chromium: signs in
//     as guest and finds the Delivery tab of the entity with its content
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { execFileSync } from 'node:child_process';

const require = createRequire(import.meta.url);
const [command, ...args] = process.argv.slice(2);

function fail(message) {
  console.error(`install-check-probe ${command}: ${message}`);
  process.exit(1);
}

async function guestToken(base) {
  const response = await fetch(`${base}/api/auth/guest/refresh`, {
    headers: { 'X-Requested-With': 'XMLHttpRequest' },
  });
  if (!response.ok) fail(`guest sign-in answered ${response.status}`);
  return (await response.json()).backstageIdentity.token;
}

function ranges(appDir, tarballsPath) {
  const semver = require('semver');
  const tarballs = JSON.parse(fs.readFileSync(tarballsPath, 'utf8'));
  const problems = [];
  let checked = 0;
  for (const [name, tarball] of Object.entries(tarballs)) {
    const manifest = manifestOf(tarball);
    const installedDir = path.join(appDir, 'node_modules', name);
    if (!fs.existsSync(installedDir)) fail(`${name} is not installed`);
    const nested = path.join(installedDir, 'node_modules', '@backstage');
    if (fs.existsSync(nested)) {
      problems.push(
        `${name} has its own copy of ${fs
          .readdirSync(nested)
          .map(n => `@backstage/${n}`)
          .join(', ')}`,
      );
    }
    for (const field of ['dependencies', 'peerDependencies']) {
      for (const [dep, range] of Object.entries(manifest[field] ?? {})) {
        if (!dep.startsWith('@backstage/')) continue;
        const file = path.join(appDir, 'node_modules', dep, 'package.json');
        if (!fs.existsSync(file)) {
          problems.push(`${name}: ${dep} is not installed in the app`);
          continue;
        }
        const { version } = JSON.parse(fs.readFileSync(file, 'utf8'));
        checked += 1;
        if (!semver.satisfies(version, range)) {
          problems.push(
            `${name}: ${field} ${dep}@${range} does not admit the app's ${version}`,
          );
        }
      }
    }
  }
  if (problems.length) fail(problems.join('\n'));
  console.log(
    `${checked} Backstage dependency ranges of ${
      Object.keys(tarballs).length
    } packages admit the app's versions; no nested copy`,
  );
}

function manifestOf(file) {
  return JSON.parse(
    file.endsWith('.tgz')
      ? execFileSync('tar', ['-xzOf', file, 'package/package.json'])
      : fs.readFileSync(file, 'utf8'),
  );
}

function versions(dir, manifests) {
  const lock = fs.readFileSync(path.join(dir, 'yarn.lock'), 'utf8');
  const resolved = new Map();
  for (const m of lock.matchAll(
    /^ {2}resolution: "(@backstage\/[^@"]+)@npm:([^"]+)"$/gm,
  )) {
    resolved.set(m[1], new Set([...(resolved.get(m[1]) ?? []), m[2]]));
  }
  const used = new Set(
    manifests.flatMap(file => {
      const manifest = manifestOf(file);
      return ['dependencies', 'peerDependencies']
        .flatMap(field => Object.keys(manifest[field] ?? {}))
        .filter(name => name.startsWith('@backstage/'));
    }),
  );
  const duplicated = [...used]
    .filter(name => (resolved.get(name)?.size ?? 0) > 1)
    .map(name => `${name}: ${[...resolved.get(name)].join(', ')}`);
  if (duplicated.length) {
    fail(
      `more than one version in ${dir}/yarn.lock:\n  ${duplicated.join(
        '\n  ',
      )}`,
    );
  }
  console.log(
    `${used.size} Backstage packages the manifests depend on have one version each in yarn.lock`,
  );
}

async function dryRun(base, instance) {
  const token = await guestToken(base);
  const template = {
    apiVersion: 'scaffolder.backstage.io/v1beta3',
    kind: 'Template',
    metadata: { name: 'delivery-install-check', namespace: 'default' },
    spec: {
      type: 'service',
      parameters: [],
      steps: [
        {
          id: 'argocd',
          name: 'Argo CD Application',
          action: 'delivery:argocd:create-application',
          input: {
            instance,
            name: 'install-check-app',
            // its own project: a dry run reads it and says it would create it
            project: 'install-check',
            createProject: true,
            repoUrl: 'https://github.com/acme/install-check.git',
            path: 'deploy/production',
            destinationNamespace: 'install-check',
            entityRef: 'component:default/search',
          },
        },
      ],
      output: {
        operation: '${{ steps.argocd.output.operation }}',
        dryRun: '${{ steps.argocd.output.dryRun }}',
        warnings: '${{ steps.argocd.output.warnings }}',
      },
    },
  };
  const response = await fetch(`${base}/api/scaffolder/v2/dry-run`, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      Authorization: `Bearer ${token}`,
    },
    body: JSON.stringify({ template, values: {}, directoryContents: [] }),
  });
  const body = await response.json().catch(() => ({}));
  const log = (body.log ?? [])
    .map(entry => entry.body?.message)
    .filter(Boolean);
  if (!response.ok) {
    fail(
      `answered ${response.status}: ${
        body.error?.message ?? JSON.stringify(body).slice(0, 500)
      }`,
    );
  }
  const failed = (body.steps ?? []).filter(
    s => s.status && s.status !== 'completed',
  );
  const output = body.output ?? {};
  const warnings = [output.warnings ?? []].flat();
  const would = log.filter(line => /\bWould (create|update|let)\b/.test(line));
  if (
    failed.length ||
    log.some(line => /error/i.test(line) && !/Would/.test(line)) ||
    String(output.dryRun) !== 'true' ||
    warnings.length ||
    !would.length
  ) {
    fail(
      `the step did not dry-run cleanly: output ${JSON.stringify(
        output,
      )}; log:\n  ${log.join('\n  ')}`,
    );
  }
  console.log(
    `200, operation ${output.operation} on instance "${instance}": ${would
      .map(line => line.split('\n')[0])
      .join('; ')}`,
  );
}

async function browser(base, entityPath, screenshotPath) {
  const { chromium } = require('playwright-core');
  const instance = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu'],
  });
  try {
    const page = await instance.newPage({
      viewport: { width: 1440, height: 1000 },
    });
    await page.goto(`${base}/`, { timeout: 120_000 });
    const enter = page.getByRole('button', { name: 'Enter' });
    await enter.waitFor({ timeout: 120_000 });
    await enter.click();
    await enter.waitFor({ state: 'hidden', timeout: 60_000 });
    await page.goto(`${base}${entityPath}`, { timeout: 120_000 });
    // the entity page's tab (a link to <entity path>/delivery), not the
    // sidebar's Delivery page
    const tab = page
      .locator(`a[href$="${entityPath}/delivery"]`)
      .filter({ hasText: 'Delivery' })
      .first();
    await tab.waitFor({ timeout: 120_000 });
    await tab.click();
    await page.waitForURL(/\/delivery$/, { timeout: 60_000 });
    await page
      .getByText('search-production')
      .first()
      .waitFor({ timeout: 120_000 });
    await page.screenshot({ path: screenshotPath, fullPage: true });
    console.log(
      `Chromium: ${page
        .url()
        .replace(
          base,
          '',
        )} shows the Delivery tab with search-production (screenshot ${screenshotPath})`,
    );
  } catch (error) {
    await instance
      .contexts()[0]
      ?.pages()[0]
      ?.screenshot({ path: screenshotPath, fullPage: true })
      .catch(() => {});
    fail(`${error.message.split('\n')[0]} (screenshot ${screenshotPath})`);
  } finally {
    await instance.close();
  }
}

if (command === 'ranges' && args.length === 2) ranges(...args);
else if (command === 'versions' && args.length >= 2)
  versions(args[0], args.slice(1));
else if (command === 'dry-run' && args.length === 2) await dryRun(...args);
else if (command === 'browser' && args.length === 3) await browser(...args);
else {
  console.error(
    'usage: install-check-probe.mjs ranges <app dir> <tarballs.json> | versions <dir> <manifest>... | dry-run <base URL> <instance> | browser <base URL> <entity path> <screenshot>',
  );
  process.exit(2);
}
