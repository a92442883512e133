import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { handleArgoCd } from './argocd';
import { sendJson } from './http';
import { loadScenario } from './scenario';

/** Options of the sandbox server. */
export interface SandboxOptions {
  /** Port to listen on; 0 picks a free one. */
  port: number;
  /** Host to bind; loopback by default. */
  host?: string;
  /** Scenario to start with. */
  scenario?: string;
  /** Bearer token the simulated Argo CD instances accept. */
  argocdToken?: string;
}

/** A running sandbox. */
export interface Sandbox {
  server: Server;
  url: string;
  close(): Promise<void>;
}

/** The demo token; the sandbox is a test double, so this is no secret. */
export const DEMO_ARGOCD_TOKEN = 'sandbox-demo-token';

/** Starts the sandbox HTTP server. */
export async function startSandbox(options: SandboxOptions): Promise<Sandbox> {
  const scenario = loadScenario(options.scenario ?? 'demo');
  const token = options.argocdToken ?? DEMO_ARGOCD_TOKEN;
  const server = createServer((req, res) => {
    res.setHeader('x-sandbox', 'true');
    const url = new URL(req.url ?? '/', 'http://sandbox');
    const argo = url.pathname.match(/^\/argocd\/([a-z0-9-]+)(\/.*)$/);
    if (argo) {
      url.pathname = argo[2];
      handleArgoCd(scenario, argo[1], token, req, res, url);
      return;
    }
    if (url.pathname === '/healthz') {
      sendJson(res, 200, { status: 'ok', scenario: scenario.name });
      return;
    }
    sendJson(res, 404, { error: `No sandbox route ${url.pathname}` });
  });
  await new Promise<void>(resolve =>
    server.listen(options.port, options.host ?? '127.0.0.1', resolve),
  );
  const { port } = server.address() as AddressInfo;
  return {
    server,
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise(resolve => server.close(() => resolve())),
  };
}
