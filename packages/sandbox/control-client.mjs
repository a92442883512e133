// A small client of the sandbox's loopback control API (README, "Control"),
// for the scripts that drive the demo: docs/screenshots/capture.mjs and the
// recorder of the frontend's backend responses. Plain ESM, no build step.

/** The control API of the sandbox at `base`. */
export function sandboxControl(base = 'http://127.0.0.1:7171') {
  async function call(path, body) {
    const res = await fetch(`${base}${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`${path} answered ${res.status}`);
    return res.json();
  }
  return {
    call,
    /** The production Rollout of a service as the sandbox holds it. */
    rolloutOf: async service =>
      (await call('/sandbox/state')).services[service].rollout,
    /** Switches one service to a scenario (its release restarts at step 0). */
    setScenario: (service, scenario) =>
      call('/sandbox/scenario', { service, scenario }),
    /** Moves the simulated clock forward. */
    advance: seconds => call('/sandbox/clock/advance', { seconds }),
  };
}
