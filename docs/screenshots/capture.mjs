// Captures the Delivery tab's screenshots for the README from the running
// demo (scripts/start.sh with SANDBOX_TIME_SCALE=10): the healthy canary
// mid-rollout, the SLO breach aborted by the canary guard, and the payments
// promotion blocked by its critical CVE; the healthy canary and the SLO
// breach also in Backstage's dark theme, the healthy canary and payments as
// the first screen a reader sees (no scrolling), and the entity overview's
// Delivery and DORA cards. Drives the
// sandbox's control API the way e2e/ does. Run: node docs/screenshots/capture.mjs (Chromium from
// CHROMIUM, default /usr/bin/chromium); FROM=slo-breach retakes only the
// SLO-breach and payments screens.
import { fileURLToPath } from 'node:url';
import { sandboxControl } from 'sandbox/control-client.mjs';
import { APP, SANDBOX, log, openSignedIn, sleep } from './demoBrowser.mjs';

const OUT = fileURLToPath(new URL('.', import.meta.url));

const control = sandboxControl(SANDBOX);
const sandbox = control.call;
const { rolloutOf } = control;

async function until(what, fn, timeoutMs, intervalMs = 3000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      if (await fn()) return;
    } catch {
      // not yet
    }
    if (Date.now() > deadline) throw new Error(`Timed out: ${what}`);
    await sleep(intervalMs);
  }
}

async function openTab(page, name) {
  await page.goto(`${APP}/catalog/default/component/${name}/delivery`, {
    waitUntil: 'domcontentloaded',
  });
  await page
    .getByText('Environments', { exact: true })
    .waitFor({ timeout: 180_000 });
}

/** Reloads the tab until it shows again (the dev server can be slow). */
async function reloadTab(page) {
  for (let attempt = 1; ; attempt++) {
    try {
      await page.reload({ waitUntil: 'domcontentloaded' });
      await page
        .getByText('Environments', { exact: true })
        .waitFor({ timeout: 60_000 });
      return;
    } catch (error) {
      await page.screenshot({ path: '/tmp/capture-failure.png' });
      if (attempt === 3) throw error;
      log(`the tab did not show (attempt ${attempt}); reloading`);
    }
  }
}

async function refresh(page) {
  await page.getByRole('button', { name: 'Refresh', exact: true }).click();
}

async function settle(page) {
  // charts, gates, findings and the audit trail load on their own
  await page.getByText('Audit trail').first().waitFor({ timeout: 60_000 });
  await page
    .locator('[data-testid^="slo-"]')
    .first()
    .waitFor({ timeout: 60_000 })
    .catch(() => log('no SLO chart showed'));
  // charts are drawn when scrolled near: pass over the page once
  const height = await page.evaluate(() => document.body.scrollHeight);
  for (let y = 0; y < height; y += 600) {
    await page.evaluate(top => window.scrollTo(0, top), y);
    await sleep(150);
  }
  await page.evaluate(() => window.scrollTo(0, 0));
  await sleep(3000);
}

async function shot(page, name, fullPage = true) {
  const path = `${OUT}${name}.png`;
  await page.screenshot({ path, fullPage });
  const height = await page.evaluate(
    () => document.documentElement.scrollHeight,
  );
  log(`saved ${path} (page ${height} px tall)`);
}

/** Backstage's theme setting, kept in localStorage; reloads the tab. */
async function theme(page, mode) {
  await page.evaluate(m => localStorage.setItem('theme', m), mode);
  await reloadTab(page);
  await settle(page);
}

// Optionally saves the backend's responses at this moment (for fixtures).
async function record(service, dir) {
  const { writeFile, mkdir } = await import('node:fs/promises');
  const backend = process.env.BACKEND_URL ?? 'http://localhost:7007';
  const token = (
    await (await fetch(`${backend}/api/auth/guest/refresh`)).json()
  ).backstageIdentity.token;
  await mkdir(dir, { recursive: true });
  for (const route of ['overview', 'metrics', 'policy', 'vulnerabilities']) {
    const res = await fetch(
      `${backend}/api/delivery/v1/entities/default/component/${service}/${route}?environment=production`,
      { headers: { authorization: `Bearer ${token}` } },
    );
    await writeFile(`${dir}/${service}.${route}.json`, await res.text());
  }
  log(`recorded ${service} into ${dir}`);
}

const { browser, page } = await openSignedIn();
try {
  // compile the tab's code before the release starts
  await openTab(page, 'checkout');

  // FROM=slo-breach starts at step 2 (the first screens kept as they are)
  const fromBreach = process.env.FROM === 'slo-breach';
  // 1. checkout's healthy canary, mid-rollout: past the 5% pause and its
  // analysis, waiting at 25% (real time at 10x: a few minutes)
  if (!fromBreach) {
    log('checkout: healthy canary');
    await sandbox('/sandbox/scenario', {
      service: 'checkout',
      scenario: 'healthy-canary',
    });
    await until(
      'checkout at 25%',
      async () => (await rolloutOf('checkout')).canaryWeight === 25,
      600_000,
    );
    await sleep(20_000); // a little series at 25%
    await until(
      'the tab to show 25%',
      async () => {
        await refresh(page);
        return page
          .getByRole('img', { name: 'Traffic: canary 25%, stable 75%' })
          .isVisible();
      },
      120_000,
    );
    await reloadTab(page);
    await settle(page);
    await shot(page, '1-checkout-healthy-canary');
    await shot(page, '0-checkout-above-the-fold', false);
    await theme(page, 'dark');
    await shot(page, '1-checkout-healthy-canary-dark');
    await theme(page, 'light');
    // the entity overview: the Delivery card and the DORA card
    await page.goto(`${APP}/catalog/default/component/checkout`, {
      waitUntil: 'domcontentloaded',
    });
    await page
      .getByRole('table', { name: 'Delivery per environment' })
      .waitFor({ timeout: 180_000 });
    await page.getByText('DORA metrics').first().waitFor({ timeout: 60_000 });
    await sleep(3000);
    await shot(page, '4-checkout-overview-cards');
    await openTab(page, 'checkout');
  }
  if (process.env.RECORD_DIR) await record('checkout', process.env.RECORD_DIR);

  // 2. the SLO breach: at 25% the canary's error ratio and p99 breach; the
  // canary guard aborts it
  log('checkout: SLO breach');
  await sandbox('/sandbox/scenario', {
    service: 'checkout',
    scenario: 'slo-breach',
  });
  for (let minute = 0; minute < 30; minute++) {
    const r = await rolloutOf('checkout');
    if (r.canaryWeight === 25 || r.abort) break;
    await sandbox('/sandbox/clock/advance', { seconds: 60 });
  }
  for (let minute = 0; minute < 5; minute++) {
    await sandbox('/sandbox/clock/advance', { seconds: 60 });
  }
  await until(
    'the guard to abort checkout',
    async () => (await rolloutOf('checkout')).abort,
    240_000,
  );
  await sleep(8_000); // past the backend's short Argo CD cache
  await reloadTab(page);
  await until(
    'the tab to show the abort',
    async () => {
      await refresh(page);
      return page
        .getByText(/Rollout aborted/)
        .first()
        .isVisible();
    },
    120_000,
  );
  await settle(page);
  await shot(page, '2-checkout-slo-breach-aborted');
  await theme(page, 'dark');
  await shot(page, '2-checkout-slo-breach-aborted-dark');
  await theme(page, 'light');

  // 3. payments: the canary image has a CRITICAL CVE the stable lacks
  log('payments: CVE block');
  await openTab(page, 'payments');
  await settle(page);
  await page
    .getByText('Promotion blocked')
    .first()
    .waitFor({ timeout: 60_000 });
  await shot(page, '3-payments-cve-blocked');
  await shot(page, '3-payments-above-the-fold', false);
  await page
    .getByRole('group', { name: 'Actions on rollout payments' })
    .getByRole('button', { name: 'Promote one step' })
    .click();
  const dialog = page.getByRole('dialog');
  await dialog.getByText('The policy blocks this promotion').waitFor();
  // the break-glass choice (the demo's guest may override); never confirmed
  await dialog
    .getByRole('checkbox', { name: 'Override the policy (break glass)' })
    .check();
  await dialog
    .getByRole('textbox', { name: /Reason/ })
    .fill('Incident 4711: the payment fix must reach production now');
  await dialog
    .getByRole('list', { name: 'Gates overridden' })
    .scrollIntoViewIfNeeded();
  await sleep(1000);
  await page.screenshot({ path: `${OUT}3b-payments-promote-dialog.png` });
  log('saved the dialog');
  await dialog.getByRole('button', { name: 'Cancel' }).click();
} finally {
  await browser.close();
}
