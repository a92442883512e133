import { spawn } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { REPO_ROOT } from './backend/entities';

const DELIVERY = '@gitops-delivery/backstage-plugin-delivery';

/** Sizes of one built app. */
export interface BundleSize {
  files: number;
  rawBytes: number;
  gzipBytes: number;
  buildSeconds: number;
}

/** Results of the bundle benchmark. */
export interface BundleResults {
  method: string;
  withPlugin: BundleSize;
  withoutPlugin: BundleSize;
  addedGzipBytes: number;
  addedRawBytes: number;
}

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap(name => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : [path];
  });
}

/** Sums the JS and CSS of a built app, raw and gzip-compressed per file. */
function measure(dist: string, buildSeconds: number): BundleSize {
  const files = walk(join(dist, 'static')).filter(f => /\.(js|css)$/.test(f));
  let rawBytes = 0;
  let gzipBytes = 0;
  for (const file of files) {
    const content = readFileSync(file);
    rawBytes += content.length;
    gzipBytes += gzipSync(content, { level: 9 }).length;
  }
  return { files: files.length, rawBytes, gzipBytes, buildSeconds };
}

function run(cwd: string, log: (line: string) => void): Promise<number> {
  const started = Date.now();
  return new Promise((resolvePromise, reject) => {
    const proc = spawn(
      process.execPath,
      [require.resolve('@backstage/cli/bin/backstage-cli'), 'package', 'build'],
      { cwd, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let output = '';
    const keep = (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-3000);
    };
    proc.stdout.on('data', keep);
    proc.stderr.on('data', keep);
    proc.on('exit', code => {
      if (code === 0) resolvePromise((Date.now() - started) / 1000);
      else {
        log(output);
        reject(new Error(`app build in ${cwd} exited with ${code}`));
      }
    });
  });
}

/**
 * Copies packages/app twice under bench/.tmp (the shared app is left alone),
 * drops the Delivery plugin from one copy's dependencies (the app discovers
 * its plugins from them: `app.packages: all`), builds both with
 * `backstage-cli package build` and compares the gzip size of their JS and CSS.
 */
export async function runBundle(
  log: (line: string) => void,
): Promise<BundleResults> {
  const app = resolve(REPO_ROOT, 'packages', 'app');
  // eslint-disable-next-line no-restricted-syntax -- bench runs from source, never bundled
  const tmp = resolve(__dirname, '..', '.tmp');
  const sizes: Record<string, BundleSize> = {};
  for (const variant of ['with', 'without']) {
    const dir = join(tmp, `app-${variant}-delivery`);
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    for (const entry of ['package.json', 'public', 'src']) {
      cpSync(join(app, entry), join(dir, entry), { recursive: true });
    }
    if (variant === 'without') {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
      delete pkg.dependencies[DELIVERY];
      writeFileSync(join(dir, 'package.json'), JSON.stringify(pkg, null, 2));
      const sources = walk(join(dir, 'src')).filter(f =>
        readFileSync(f, 'utf8').includes(DELIVERY),
      );
      if (sources.length > 0) {
        throw new Error(
          `packages/app imports ${DELIVERY} in ${sources.join(
            ', ',
          )}; the bundle benchmark only removes the dependency`,
        );
      }
    }
    log(`bundle: building the app ${variant} the Delivery plugin`);
    const seconds = await run(dir, log);
    if (!existsSync(join(dir, 'dist', 'static'))) {
      throw new Error(`the app build in ${dir} wrote no dist/static`);
    }
    sizes[variant] = measure(join(dir, 'dist'), seconds);
    log(
      `  ${variant}: ${sizes[variant].files} files, ${(
        sizes[variant].gzipBytes / 1024
      ).toFixed(1)} KiB gzip, built in ${seconds.toFixed(0)} s`,
    );
  }
  const added = sizes.with.gzipBytes - sizes.without.gzipBytes;
  log(`  the Delivery plugin adds ${(added / 1024).toFixed(1)} KiB gzip`);
  return {
    method:
      'packages/app built twice by backstage-cli package build (copies under bench/.tmp), once without the plugin dependency; difference of the summed per-file gzip -9 sizes of dist/static/**/*.{js,css}',
    withPlugin: sizes.with,
    withoutPlugin: sizes.without,
    addedGzipBytes: added,
    addedRawBytes: sizes.with.rawBytes - sizes.without.rawBytes,
  };
}
