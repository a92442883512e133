import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import {
  argocdSwagger,
  backstageResolutions,
  fixturePath,
  jsonFixture,
  TEST_DATA_ROOT,
  yamlFixture,
} from './index';

/** SHA256SUMS as `sha256sum` writes it: `<hex>  <path>` per line. */
function recordedSums(): Map<string, string> {
  const text = readFileSync(join(TEST_DATA_ROOT, 'SHA256SUMS'), 'utf8');
  return new Map(
    text
      .trim()
      .split('\n')
      .map(line => {
        const [hash, path] = line.split(/ {2}/);
        return [path, hash] as [string, string];
      }),
  );
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap(name => {
    const full = join(dir, name);
    return statSync(full).isDirectory() ? filesUnder(full) : [full];
  });
}

describe('test data', () => {
  const sums = recordedSums();

  it('is byte for byte what was copied from its sources (SHA256SUMS)', () => {
    expect(sums.size).toBeGreaterThan(30);
    for (const [path, hash] of sums) {
      const actual = createHash('sha256')
        .update(readFileSync(join(TEST_DATA_ROOT, path)))
        .digest('hex');
      expect({ path, hash: actual }).toEqual({ path, hash });
    }
  });

  it('has no file that SHA256SUMS does not record', () => {
    const present = [
      ...filesUnder(join(TEST_DATA_ROOT, 'fixtures')),
      ...filesUnder(join(TEST_DATA_ROOT, 'contracts')),
    ].map(file => relative(TEST_DATA_ROOT, file));
    expect(present.filter(path => !sums.has(path))).toEqual([]);
  });

  it('notes the source of every recorded file in SOURCES.md', () => {
    for (const folder of ['fixtures', 'contracts']) {
      const sources = readFileSync(
        join(TEST_DATA_ROOT, folder, 'SOURCES.md'),
        'utf8',
      );
      const unnamed = [...sums.keys()]
        .filter(path => path.startsWith(`${folder}/`))
        .map(path => path.split('/').pop()!)
        .filter(name => name !== 'SOURCES.md' && !sources.includes(name));
      expect({ folder, unnamed }).toEqual({ folder, unnamed: [] });
    }
  });

  it('pins every Backstage 1.55 package in the root resolutions', () => {
    const root = JSON.parse(
      readFileSync(join(TEST_DATA_ROOT, '..', '..', 'package.json'), 'utf8'),
    );
    const pins = backstageResolutions();
    const differing = Object.entries(pins)
      .filter(([name, version]) => root.resolutions?.[name] !== version)
      .map(
        ([name, version]) =>
          `${name}: ${version} pinned, root has ${root.resolutions?.[name]}`,
      );
    expect(Object.keys(pins).length).toBeGreaterThan(100);
    expect(differing).toEqual([]);
  });

  it('loads fixtures and the contract through depth-independent helpers', () => {
    expect(jsonFixture('argocd/revision-metadata.json')).toHaveProperty(
      'author',
    );
    expect(yamlFixture('argo-rollouts/rollout-canary-aborted.yaml').kind).toBe(
      'Rollout',
    );
    expect(argocdSwagger().swagger).toBe('2.0');
  });

  it('refuses a fixture path that leaves the fixtures folder', () => {
    expect(() => fixturePath('../contracts/argocd-swagger.json')).toThrow(
      /leaves/,
    );
  });
});
