import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

/** Results of the render benchmark (written by src/render/render.bench.tsx). */
export interface RenderResults {
  renders: number;
  view: string;
  medianProfilerMs: number;
  medianWallMs: number;
  medianCommits: number;
  profilerMs: number[];
}

/**
 * Runs the render benchmark, a Jest file under src/render that only this
 * command runs (`*.bench.tsx`; bench has no `test` script, so the repo's
 * Jest run never lists the package), and reads its numbers.
 */
export async function runRender(
  log: (line: string) => void,
): Promise<RenderResults> {
  // eslint-disable-next-line no-restricted-syntax -- bench runs from source, never bundled
  const benchDir = resolve(__dirname, '..');
  const out = resolve(benchDir, '.tmp', 'render.json');
  rmSync(out, { force: true });
  // a fresh clone has no bench/.tmp: the Jest file writes into it
  mkdirSync(dirname(out), { recursive: true });
  log('render: EntityDeliveryContent with a large view in jsdom (Jest)');
  await new Promise<void>((resolvePromise, reject) => {
    const proc = spawn(
      process.execPath,
      [
        require.resolve('@backstage/cli/bin/backstage-cli'),
        'package',
        'test',
        '--testMatch',
        '**/src/render/*.bench.tsx',
        '--watchAll=false',
      ],
      {
        cwd: benchDir,
        env: { ...process.env, CI: 'true', BENCH_RENDER_OUT: out },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let output = '';
    const keep = (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-3000);
    };
    proc.stdout.on('data', keep);
    proc.stderr.on('data', keep);
    proc.on('exit', code => {
      if (code === 0) resolvePromise();
      else {
        log(output);
        reject(new Error(`the render benchmark exited with ${code}`));
      }
    });
  });
  const result = JSON.parse(readFileSync(out, 'utf8')) as RenderResults;
  log(
    `  median of ${result.renders}: ${result.medianProfilerMs} ms in React's Profiler (actualDuration summed over ${result.medianCommits} commits), ${result.medianWallMs} ms from render() to the full view`,
  );
  return result;
}
