// Checks the packaging fields of every publishable package (the non-private
// workspaces under plugins/) and, with --built, the files a build left in
// dist/. Prints one line per problem and exits 1 when there is any.
// Usage: node scripts/package-check.mjs [--built]
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const built = process.argv.includes('--built');
const problems = [];

/** The roles a package may have, and the entry points each role builds. */
const ROLES = {
  'common-library': ['dist/index.cjs.js', 'dist/index.esm.js'],
  'frontend-plugin': ['dist/index.esm.js'],
  'backend-plugin': ['dist/index.cjs.js'],
  'backend-plugin-module': ['dist/index.cjs.js'],
  'node-library': ['dist/index.cjs.js'],
};

function readJson(file) {
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}

const packages = fs
  .readdirSync(path.join(root, 'plugins'))
  .map(dir => path.join(root, 'plugins', dir))
  .filter(dir => fs.existsSync(path.join(dir, 'package.json')))
  .map(dir => ({ dir, pkg: readJson(path.join(dir, 'package.json')) }))
  .filter(({ pkg }) => !pkg.private);

const byPluginId = new Map();
for (const { pkg } of packages) {
  const id = pkg.backstage?.pluginId;
  if (id && !['backend-plugin-module'].includes(pkg.backstage.role)) {
    byPluginId.set(id, [...(byPluginId.get(id) ?? []), pkg.name]);
  }
}

for (const { dir, pkg } of packages) {
  const rel = path.relative(root, dir);
  const fail = msg => problems.push(`${rel} (${pkg.name}): ${msg}`);
  const role = pkg.backstage?.role;

  if (!ROLES[role]) fail(`backstage.role is ${role}, not a publishable role`);
  if (!pkg.backstage?.pluginId) fail('backstage.pluginId is missing');
  if (role === 'backend-plugin-module') {
    if (!pkg.backstage?.pluginPackage)
      fail('backstage.pluginPackage (the plugin it extends) is missing');
  } else {
    const expected = [...(byPluginId.get(pkg.backstage?.pluginId) ?? [])];
    const actual = pkg.backstage?.pluginPackages ?? [];
    if (expected.sort().join() !== [...actual].sort().join())
      fail(
        `backstage.pluginPackages is ${JSON.stringify(
          actual,
        )}, expected ${JSON.stringify(expected)}`,
      );
  }
  if (!pkg.version) fail('version is missing');
  if (!pkg.license) fail('license is missing');
  if (!pkg.description) fail('description is missing');
  if (pkg.publishConfig?.access !== 'public')
    fail('publishConfig.access is not "public"');
  if (!pkg.scripts?.prepack || !pkg.scripts?.postpack)
    fail(
      'the prepack/postpack scripts (backstage-cli package prepack) are missing',
    );

  const files = pkg.files ?? [];
  if (!files.includes('dist')) fail('files does not include dist');
  if (fs.existsSync(path.join(dir, 'config.d.ts'))) {
    if (!files.includes('config.d.ts'))
      fail('files does not include config.d.ts');
    if (pkg.configSchema !== 'config.d.ts')
      fail('configSchema is not config.d.ts');
  }
  if (
    fs.existsSync(path.join(dir, 'migrations')) &&
    !files.includes('migrations')
  )
    fail('files does not include migrations');

  // Dependencies as Backstage plugins declare them: caret ranges on Backstage
  // packages (an exact pin makes an app on another release install a second
  // copy), the backend's wiring only for the package's own tests, React from
  // the app. A 0.0.x package's caret range admits one release only, so such
  // a dependency may list one caret range per Backstage release it supports
  // (`^0.0.25 || ^0.0.26`).
  const CARETS = /^\^\d+\.\d+\.\d+( \|\| \^\d+\.\d+\.\d+)*$/;
  for (const field of ['dependencies', 'peerDependencies']) {
    for (const [dep, range] of Object.entries(pkg[field] ?? {})) {
      if (dep.startsWith('@backstage/') && !CARETS.test(range))
        fail(`${field}.${dep} is ${range}, not a caret range (^x.y.z)`);
    }
  }
  if (pkg.dependencies?.['@backstage/backend-defaults'])
    fail('@backstage/backend-defaults belongs in devDependencies only');
  if (role === 'frontend-plugin') {
    for (const dep of ['react', 'react-dom', 'react-router-dom']) {
      if (!pkg.peerDependencies?.[dep]) fail(`${dep} is not a peerDependency`);
      if (pkg.dependencies?.[dep]) fail(`${dep} must not be a dependency`);
      if (!pkg.devDependencies?.[dep])
        fail(`${dep} is not a devDependency (for the tests)`);
    }
  }

  // Entry points: "." always; every other export needs a typesVersions entry
  // so that TypeScript's older module resolution finds its types too.
  const exportsField = pkg.exports ?? { '.': pkg.main };
  if (!exportsField['.']) fail('exports has no "." entry');
  for (const [sub, target] of Object.entries(exportsField)) {
    if (!fs.existsSync(path.join(dir, target)))
      fail(`exports["${sub}"] points at ${target}, which does not exist`);
    if (sub === '.' || sub === './package.json') continue;
    const key = sub.replace(/^\.\//, '');
    const types = pkg.typesVersions?.['*']?.[key];
    const norm = f => f?.replace(/^\.\//, '');
    if (!types || norm(types[0]) !== norm(target))
      fail(`typesVersions["*"]["${key}"] must be ["${norm(target)}"]`);
  }
  if (pkg.exports && !pkg.exports['./package.json'])
    fail('exports has no "./package.json" entry');
  if (role === 'frontend-plugin' && !pkg.exports?.['./alpha'])
    fail('a frontend plugin must export the new frontend system under ./alpha');

  const reports = Object.keys(exportsField)
    .filter(sub => sub !== './package.json')
    .map(sub =>
      sub === '.' ? 'report.api.md' : `report-${sub.slice(2)}.api.md`,
    );
  for (const report of reports)
    if (!fs.existsSync(path.join(dir, report)))
      fail(`${report} is missing (yarn backstage-repo-tools api-reports)`);

  if (built) {
    const outputs = [...(ROLES[role] ?? []), 'dist/index.d.ts'];
    for (const sub of Object.keys(exportsField)) {
      if (sub === '.' || sub === './package.json') continue;
      const name = sub.slice(2);
      outputs.push(`dist/${name}.d.ts`);
      outputs.push(
        role === 'frontend-plugin'
          ? `dist/${name}.esm.js`
          : `dist/${name}.cjs.js`,
      );
    }
    for (const out of outputs)
      if (!fs.existsSync(path.join(dir, out)))
        fail(`the build did not produce ${out}`);
  }
}

for (const problem of problems) console.error(`package-check: ${problem}`);
console.log(
  `package-check: ${packages.length} packages (${packages
    .map(p => p.pkg.name)
    .join(', ')}), ${problems.length} problems`,
);
process.exit(problems.length ? 1 : 0);
