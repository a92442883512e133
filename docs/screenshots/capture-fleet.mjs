// Captures the fleet page's screenshots for the README from the running
// demo (scripts/start.sh): the page with every owner (the guest sign-in's
// identity owns no demo service, so "Mine" is empty), the page filtered to the canaries in
// progress, and the fleet card on the storefront System. The demo world's
// checkout canary is restarted first (healthy-canary), and checkout's tab
// is opened once so that its signals (findings, gates) show on the page.
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
  await page.goto(`${APP}/delivery${query}`, { waitUntil: 'domcontentloaded' });
  await page
    .getByRole('table', { name: 'What is deployed where' })
    .waitFor({ timeout: 180_000 });
  await sleep(2000);
}

const { browser, page } = await openSignedIn();
try {
  await control.call('/sandbox/scenario', {
    service: 'checkout',
    scenario: 'healthy-canary',
  });
  // the tab computes checkout's signals (findings, gates, CI): the page
  // shows what it last computed
  for (const service of ['checkout', 'payments']) {
    await page.goto(`${APP}/catalog/default/component/${service}/delivery`, {
      waitUntil: 'domcontentloaded',
    });
    await page
      .getByText('Environments', { exact: true })
      .waitFor({ timeout: 180_000 });
    await page.getByText('Audit trail').first().waitFor({ timeout: 60_000 });
  }
  await sleep(6_000); // past the live-state TTL of the page's own answer

  log('the fleet page, every owner');
  await openFleet(page, '?owner=all');
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
