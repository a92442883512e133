import { expect } from '@playwright/test';

// The sandbox's loopback control API (packages/sandbox/README.md, "Control").
const SANDBOX = process.env.SANDBOX_URL ?? 'http://127.0.0.1:7171';

/** The sandbox's view of one service's production Rollout. */
export interface SandboxRollout {
  phase: string;
  message?: string;
  currentStepIndex: number;
  canaryWeight: number;
  fullyPromoted: boolean;
  abort: boolean;
}

async function call(path: string, body?: unknown) {
  const res = await fetch(`${SANDBOX}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  expect(res.ok, `${path} answered ${res.status}`).toBe(true);
  return res.json();
}

/** Switches one service to a scenario; this restarts its release at step 0. */
export async function setScenario(service: string, scenario: string) {
  await call('/sandbox/scenario', { service, scenario });
}

/** Moves the sandbox's simulated clock forward. */
export async function advanceClock(seconds: number) {
  await call('/sandbox/clock/advance', { seconds });
}

/** The production Rollout of a service as the sandbox holds it. */
export async function sandboxRollout(service: string): Promise<SandboxRollout> {
  const state = await call('/sandbox/state');
  return state.services[service].rollout;
}

/**
 * Advances the simulated clock a minute at a time (so every analysis
 * measurement and step transition happens in order) until `done` holds.
 */
export async function advanceUntil(
  service: string,
  done: (rollout: SandboxRollout) => boolean,
  maxMinutes: number,
) {
  for (let i = 0; i < maxMinutes; i++) {
    const rollout = await sandboxRollout(service);
    if (done(rollout)) return rollout;
    await advanceClock(60);
  }
  const rollout = await sandboxRollout(service);
  expect(done(rollout), JSON.stringify(rollout)).toBe(true);
  return rollout;
}
