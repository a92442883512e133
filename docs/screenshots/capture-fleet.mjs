// Captures the fleet page's screenshots for the README from the running
// demo (scripts/start.sh): the page with the guest's services ("Mine": the
// demo's guest is in team-storefront), the page filtered to the canaries in
// progress (every owner), and the fleet card on the storefront System. The
// demo world's checkout canary is restarted first (healthy-canary); the
// page computes its cells' signals itself, so the shots wait until no cell
// says they are still being computed.
// Run: node docs/screenshots/capture-fleet.mjs (Chromium from CHROMIUM,
// default /usr/bin/chromium).
import { fileURLToPath } from 'node:url';
import { sandboxControl } from 'sandbox/control-client.mjs';
import { APP, SANDBOX, log, openSignedIn, sleep } from './demoBrowser.mjs';

const OUT = fileURLToPath(new URL('.', import.meta.url));

const control = sandboxControl(SANDBOX);

async function shot(page, name) {
  const path = `${OUT}${name}.png`;
  await page.screenshot({ path, fullPage: true });
  log(`saved ${path}`);
}

async function openFleet(page, query = '') {
  // the first answers may still be computing the signals: reload until no
  // cell says so (at most 3 minutes)
  const deadline = Date.now() + 180_000;
  for (;;) {
    await page.goto(`${APP}/delivery${query}`, {
      waitUntil: 'domcontentloaded',
    });
    const table = page.getByRole('table', { name: 'What is deployed where' });
    await table.waitFor({ timeout: 180_000 });
    await sleep(2000);
    const computing = await table
      .getByText(/signals (computing|updating)/)
      .count();
    if (computing === 0 || Date.now() > deadline) return;
    log(`${computing} cell(s) still computing their signals; reloading`);
    await sleep(5000);
  }
}

const { browser, page } = await openSignedIn();
try {
  await control.call('/sandbox/scenario', {
    service: 'checkout',
    scenario: 'healthy-canary',
  });
  log("the fleet page, the guest's services (Mine)");
  await openFleet(page);
  await shot(page, '5-fleet-page');

  log('the fleet page, canaries in progress');
  await openFleet(page, '?owner=all&state=canary');
  await shot(page, '5b-fleet-canary-in-progress');

  log('the fleet card on the storefront System');
  await page.goto(`${APP}/catalog/default/system/storefront`, {
    waitUntil: 'domcontentloaded',
  });
  await page
    .getByRole('table', { name: /What is deployed where, for storefront/ })
    .waitFor({ timeout: 180_000 });
  await sleep(2000);
  await shot(page, '6-fleet-system-card');
} finally {
  await browser.close();
}
