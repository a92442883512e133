import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import fs from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

/** A real Prometheus server started for a test. @public */
export interface RealPrometheus {
  url: string;
  stop(): Promise<void>;
}

const INSTALL_HINT =
  'Install the Debian package `prometheus` (apt-get install -y prometheus; `npm test` does this), which provides /usr/bin/prometheus and /usr/bin/promtool.';

/** Finds a binary in /usr/bin or on PATH, or throws naming the package. */
export function findBinary(name: 'prometheus' | 'promtool'): string {
  const candidates = [
    `/usr/bin/${name}`,
    ...(process.env.PATH ?? '')
      .split(path.delimiter)
      .map(d => path.join(d, name)),
  ];
  const found = candidates.find(c => c && existsSync(c));
  if (!found) {
    throw new Error(`${name} was not found. ${INSTALL_HINT}`);
  }
  return found;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

async function waitReady(url: string, child: ChildProcess, log: () => string) {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      throw new Error(`Prometheus exited with ${child.exitCode}: ${log()}`);
    }
    try {
      const res = await fetch(`${url}/-/ready`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise(r => setTimeout(r, 100));
  }
  throw new Error(`Prometheus did not become ready in 20 s: ${log()}`);
}

/**
 * Backfills `openMetrics` with promtool into a fresh temp dir and starts
 * Prometheus on 127.0.0.1 at a random free port, without scraping anything.
 * `stop` kills it and removes the temp dir.
 */
export async function startRealPrometheus(
  openMetrics: string,
): Promise<RealPrometheus> {
  const prometheus = findBinary('prometheus');
  const promtool = findBinary('promtool');
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'delivery-prometheus-'));
  let child: ChildProcess | undefined;
  const stop = async () => {
    if (child && child.exitCode === null) {
      const exited = new Promise(r => child!.once('exit', r));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child?.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    }
    await fs.rm(dir, { recursive: true, force: true });
  };
  try {
    const input = path.join(dir, 'backfill.openmetrics');
    const data = path.join(dir, 'data');
    const configFile = path.join(dir, 'prometheus.yml');
    await fs.writeFile(input, openMetrics);
    await fs.writeFile(configFile, 'global:\n  evaluation_interval: 1m\n');
    await execFileAsync(promtool, [
      'tsdb',
      'create-blocks-from',
      'openmetrics',
      '--quiet',
      input,
      data,
    ]);
    // a port found free may be taken before Prometheus binds it: retry
    for (let attempt = 1; ; attempt++) {
      const port = await freePort();
      const url = `http://127.0.0.1:${port}`;
      let output = '';
      child = spawn(
        prometheus,
        [
          `--config.file=${configFile}`,
          `--storage.tsdb.path=${data}`,
          `--web.listen-address=127.0.0.1:${port}`,
          '--log.level=warn',
        ],
        { stdio: ['ignore', 'pipe', 'pipe'] },
      );
      child.stdout?.on('data', d => (output += d));
      child.stderr?.on('data', d => (output += d));
      try {
        await waitReady(url, child, () => output.slice(-2000));
        return { url, stop };
      } catch (error) {
        if (child.exitCode === null) child.kill('SIGKILL');
        if (attempt >= 3 || !output.includes('address already in use')) {
          throw error;
        }
      }
    }
  } catch (error) {
    await stop();
    throw error;
  }
}
