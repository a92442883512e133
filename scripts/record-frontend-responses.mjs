// Records the backend responses the frontend's recorded.test.tsx renders,
// from a running backend against the sandbox (`npm start`, or the sandbox and
// `yarn backstage-cli repo start packages/backend` alone). Puts each service
// into its scenario through the sandbox's control API, moves the simulated
// clock to the moment the test describes, then saves the four routes of the
// production environment into plugins/delivery/src/__fixtures__/recorded.
// Run: node scripts/record-frontend-responses.mjs
import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { sandboxControl } from 'sandbox/control-client.mjs';

const SANDBOX = process.env.SANDBOX_URL ?? 'http://127.0.0.1:7171';
const BACKEND = process.env.BACKEND_URL ?? 'http://localhost:7007';
const OUT = fileURLToPath(
  new URL('../plugins/delivery/src/__fixtures__/recorded/', import.meta.url),
);
const sleep = ms => new Promise(r => setTimeout(r, ms));

const { rolloutOf, setScenario, advance } = sandboxControl(SANDBOX);

/** A minute of simulated time at a time, so every step happens in order. */
async function advanceUntil(service, done, maxMinutes) {
  for (let minute = 0; minute < maxMinutes; minute++) {
    const rollout = await rolloutOf(service);
    if (done(rollout)) return rollout;
    await advance(60);
  }
  throw new Error(
    `${service} did not reach its moment: ${JSON.stringify(
      await rolloutOf(service),
    )}`,
  );
}

const MOMENTS = {
  // the healthy canary at its indefinite pause: step 5 of 6, 25 %, five
  // minutes into the soak (the analysis at step 3 behind it)
  'checkout-healthy': {
    service: 'checkout',
    scenario: 'healthy-canary',
    reach: r => r.currentStepIndex === 4 && r.phase === 'Paused',
    thenMinutes: 5,
  },
  // the canary whose image carries a CRITICAL CVE the stable image lacks,
  // paused at 25 %: the policy blocks the promotion
  'payments-cve': {
    service: 'payments',
    scenario: 'critical-cve',
    reach: r => r.currentStepIndex === 4 && r.phase === 'Paused',
    thenMinutes: 0,
  },
  // the blue-green release waiting for promotion (dev and staging on
  // instance nonprod, production on main)
  'inventory-bluegreen': {
    service: 'inventory',
    scenario: 'blue-green-waiting',
    reach: r => r.phase === 'Paused',
    thenMinutes: 0,
  },
};

const token = (await (await fetch(`${BACKEND}/api/auth/guest/refresh`)).json())
  .backstageIdentity.token;

for (const [name, moment] of Object.entries(MOMENTS)) {
  await setScenario(moment.service, moment.scenario);
  await advanceUntil(moment.service, moment.reach, 90);
  if (moment.thenMinutes > 0) {
    await advance(60 * moment.thenMinutes);
  }
  // the backend caches live Argo CD state for a few seconds
  await sleep(Number(process.env.RECORD_SETTLE_MS ?? 8000));
  for (const route of ['overview', 'metrics', 'policy', 'vulnerabilities']) {
    const res = await fetch(
      `${BACKEND}/api/delivery/v1/entities/default/component/${moment.service}/${route}?environment=production`,
      { headers: { authorization: `Bearer ${token}` } },
    );
    if (!res.ok) throw new Error(`${name} ${route} answered ${res.status}`);
    await writeFile(`${OUT}${name}.${route}.json`, await res.text());
  }
  console.log(`recorded ${name}`);
}
