import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

/** A child process of the benchmark that announced itself with `READY {json}`. */
export interface Child {
  pid: number;
  info: { url: string; [key: string]: unknown };
  /** Resident set size in bytes, read from /proc (Linux) now. */
  rssBytes(): number | undefined;
  stop(): Promise<void>;
}

// eslint-disable-next-line no-restricted-syntax -- bench runs from source, never bundled
const BENCH_DIR = resolve(__dirname, '..', '..');

/**
 * Starts `script` (a TypeScript file under bench/src) with Backstage's node
 * transform and waits for its `READY {json}` line.
 */
export function startChild(
  script: string,
  env: Record<string, string>,
  timeoutMs = 120_000,
): Promise<Child> {
  const proc: ChildProcess = spawn(
    process.execPath,
    [
      '--require',
      require.resolve('@backstage/cli/config/nodeTransform.cjs'),
      resolve(BENCH_DIR, script),
    ],
    {
      cwd: BENCH_DIR,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stderr = '';
  proc.stderr?.on('data', chunk => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  return new Promise((resolvePromise, reject) => {
    let out = '';
    const timer = setTimeout(() => {
      proc.kill('SIGKILL');
      reject(
        new Error(`${script} did not start in ${timeoutMs} ms: ${stderr}`),
      );
    }, timeoutMs);
    proc.once('exit', code => {
      clearTimeout(timer);
      reject(new Error(`${script} exited with ${code}: ${stderr}`));
    });
    proc.stdout?.on('data', chunk => {
      out += chunk.toString();
      const line = /^READY (.*)$/m.exec(out);
      if (!line) return;
      clearTimeout(timer);
      proc.removeAllListeners('exit');
      proc.stdout?.removeAllListeners('data');
      proc.stdout?.resume();
      const pid = proc.pid!;
      resolvePromise({
        pid,
        info: JSON.parse(line[1]),
        rssBytes: () => readRss(pid),
        stop: () =>
          new Promise<void>(done => {
            if (proc.exitCode !== null) {
              done();
              return;
            }
            const kill = setTimeout(() => proc.kill('SIGKILL'), 5000);
            proc.once('exit', () => {
              clearTimeout(kill);
              done();
            });
            proc.kill('SIGTERM');
          }),
      });
    });
  });
}

function readRss(pid: number): number | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
    return kb ? Number(kb[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}
