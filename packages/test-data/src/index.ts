/**
 * Delivery's test data: recorded upstream payloads (`fixtures/`), the Argo CD
 * API contract (`contracts/`) and the Backstage 1.55 version pins, all copied
 * byte for byte from their sources (see each folder's SOURCES.md).
 *
 * Packages import this workspace package instead of reaching for a path
 * relative to their own file, so a reader's location never matters.
 *
 * @packageDocumentation
 */
import { readFileSync } from 'node:fs';
import { dirname, join, normalize, sep } from 'node:path';
import { parse } from 'yaml';

/** The root folder of the test data (this package's folder). */
export const TEST_DATA_ROOT = dirname(
  require.resolve('delivery-test-data/package.json'),
);

/** The folder of recorded upstream payloads. */
export const FIXTURES_DIR = join(TEST_DATA_ROOT, 'fixtures');

/** The folder of upstream API contracts. */
export const CONTRACTS_DIR = join(TEST_DATA_ROOT, 'contracts');

/** The Backstage 1.55 resolutions (package name to exact version). */
export const RESOLUTIONS_FILE = join(
  TEST_DATA_ROOT,
  'backstage-1.55-resolutions.json',
);

function inside(dir: string, relative: string): string {
  const full = normalize(join(dir, relative));
  if (!full.startsWith(dir + sep)) {
    throw new Error(`test data path "${relative}" leaves ${dir}`);
  }
  return full;
}

/** The absolute path of a fixture, e.g. `fixturePath('argocd/revision-metadata.json')`. */
export function fixturePath(relative: string): string {
  return inside(FIXTURES_DIR, relative);
}

/** The text of a fixture, exactly as recorded. */
export function fixtureText(relative: string): string {
  return readFileSync(fixturePath(relative), 'utf8');
}

/** A JSON fixture, parsed (a fresh copy on each call). */
export function jsonFixture<T = any>(relative: string): T {
  return JSON.parse(fixtureText(relative));
}

/** A YAML fixture, parsed (a fresh copy on each call). */
export function yamlFixture<T = any>(relative: string): T {
  return parse(fixtureText(relative));
}

/** A JSON or YAML fixture, parsed by its extension. */
export function readFixture<T = any>(relative: string): T {
  return relative.endsWith('.json')
    ? jsonFixture<T>(relative)
    : yamlFixture<T>(relative);
}

/** The absolute path of a contract file, e.g. `contractPath('argocd-swagger.json')`. */
export function contractPath(relative: string): string {
  return inside(CONTRACTS_DIR, relative);
}

/** The Argo CD v3.5.1 API contract (Swagger 2.0), parsed (a fresh copy). */
export function argocdSwagger(): any {
  return JSON.parse(readFileSync(contractPath('argocd-swagger.json'), 'utf8'));
}

/** The Backstage 1.55 resolutions: package name to exact version. */
export function backstageResolutions(): Record<string, string> {
  return JSON.parse(readFileSync(RESOLUTIONS_FILE, 'utf8'));
}
