import type { Entity } from '@backstage/catalog-model';
import { spawn } from 'child_process';
import fs from 'fs';
import path from 'path';
import { parseAllDocuments } from 'yaml';

/** The repository's root. */
export const REPO = path.resolve(__dirname, '../../../..');

/** A sandbox child process and its address. */
export interface SandboxProcess {
  url: string;
  stop(): void;
}

/**
 * Starts the real sandbox (packages/sandbox, as `npm start` runs it) in a
 * child process on a random port, with `env` added (`SANDBOX_TIME_SCALE`,
 * say), and resolves with its address once it listens.
 */
export async function startSandboxProcess(
  env: Record<string, string> = {},
): Promise<SandboxProcess> {
  const child = spawn(
    process.execPath,
    [
      '--require',
      require.resolve('@backstage/cli/config/nodeTransform.cjs'),
      'src/main.ts',
    ],
    {
      cwd: path.join(REPO, 'packages/sandbox'),
      env: { ...process.env, SANDBOX_PORT: '0', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const listening = new Promise<string>((resolve, reject) => {
    let output = '';
    const timer = setTimeout(
      () => reject(new Error(`sandbox did not start: ${output}`)),
      60_000,
    );
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.on('exit', code =>
      reject(new Error(`sandbox exited ${code}: ${output}`)),
    );
  });
  const stop = () => {
    child.kill('SIGTERM');
  };
  // a sandbox that did not start is not left running
  const url = await listening.catch(error => {
    stop();
    throw error;
  });
  return { url, stop };
}

/** The demo's Argo CD instances on a sandbox at `url`, as app-config.yaml names them. */
export function sandboxArgoCdInstances(
  url: string,
  names: Array<'main' | 'nonprod'> = ['main', 'nonprod'],
) {
  const instances = {
    main: {
      name: 'main',
      url: `${url}/argocd/main`,
      token: 'sandbox-demo-token',
    },
    nonprod: {
      name: 'nonprod',
      url: `${url}/argocd/nonprod`,
      username: 'admin',
      password: 'sandbox-password',
    },
  };
  return names.map(name => instances[name]);
}

/** The demo catalog's Components (examples/entities.yaml), in namespace default. */
export function demoComponents(): Entity[] {
  return parseAllDocuments(
    fs.readFileSync(path.join(REPO, 'examples/entities.yaml'), 'utf8'),
  )
    .map(d => d.toJS() as Entity)
    .filter(e => e?.kind === 'Component')
    .map(e => ({
      ...e,
      metadata: { ...e.metadata, namespace: 'default' },
    }));
}
