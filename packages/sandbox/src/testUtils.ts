import { createClock, type Clock } from './clock';
import { startSandbox, type Sandbox } from './server';

/** A clock frozen in real time whose simulated time only moves by advance(). */
export function frozenClock(): Clock {
  const real = Date.UTC(2026, 10, 27, 12, 0, 0);
  return createClock(1, () => real);
}

/** Starts a sandbox on a random port with a frozen clock. */
export async function testSandbox(
  scenario = 'demo',
): Promise<Sandbox & { clock: Clock }> {
  const clock = frozenClock();
  const sandbox = await startSandbox({ port: 0, scenario, clock });
  return Object.assign(sandbox, { clock });
}

/** The demo Argo CD token header. */
export const ARGO_AUTH = { authorization: 'Bearer sandbox-demo-token' };

/** Fetches JSON from the sandbox (status, headers and parsed body). */
export async function getJson(
  url: string,
  init: RequestInit = {},
): Promise<{ status: number; body: any; headers: Headers }> {
  const res = await fetch(url, init);
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // plain-text answers (415, Prometheus 404/405) stay strings
  }
  return { status: res.status, body, headers: res.headers };
}
