// Captures the canary and blue-green details of the Rollout card (issue 24)
// from the running demo (npm start): search switched to the sandbox's
// istio-mirror-experiment scenario, first while it mirrors 50% of GET /api
// to the canary through the Istio VirtualService, then (the sandbox clock
// moved 5 minutes on) while its Experiment runs; and inventory's blue-green
// release with its promotion settings. Run: node
// docs/screenshots/capture-strategies.mjs (Chromium from CHROMIUM, default
// /usr/bin/chromium).
import { fileURLToPath } from 'node:url';
import { sandboxControl } from 'sandbox/control-client.mjs';
import { APP, SANDBOX, log, openSignedIn, sleep } from './demoBrowser.mjs';

const OUT = fileURLToPath(new URL('.', import.meta.url));
const control = sandboxControl(SANDBOX);

async function openTab(page, name) {
  await page.goto(`${APP}/catalog/default/component/${name}/delivery`, {
    waitUntil: 'domcontentloaded',
  });
  await page
    .getByText('Environments', { exact: true })
    .waitFor({ timeout: 240_000 });
}

/** Screenshots the Rollout card that holds `marker` (a section's label). */
async function shootCard(page, marker, file) {
  const section = page.getByRole('region', { name: marker }).first();
  await section.waitFor({ timeout: 120_000 });
  const card = section.locator(
    'xpath=ancestor::div[contains(@class,"MuiCard-root")][1]',
  );
  await card.scrollIntoViewIfNeeded();
  await sleep(1500);
  await card.screenshot({ path: `${OUT}${file}` });
  log(`wrote ${file}`);
}

const { browser, page } = await openSignedIn();
try {
  log('search: istio-mirror-experiment');
  await control.setScenario('search', 'istio-mirror-experiment');
  await openTab(page, 'search');
  await page.getByText('mirroring', { exact: true }).waitFor();
  await shootCard(page, 'Shadow traffic', '7-search-istio-mirror.png');

  log('moving the sandbox clock past the 5-minute pause');
  await control.advance(300);
  // the backend may answer from its cache for a while: reload until it shows
  for (let attempt = 1; ; attempt++) {
    await page.reload({ waitUntil: 'domcontentloaded' });
    try {
      await page
        .getByRole('region', { name: /^Experiment / })
        .first()
        .waitFor({ timeout: 30_000 });
      break;
    } catch (error) {
      if (attempt === 8) throw error;
      log(`no Experiment shown yet (attempt ${attempt})`);
    }
  }
  await shootCard(page, 'Traffic routing', '7b-search-experiment.png');

  log('inventory: blue-green');
  await openTab(page, 'inventory');
  await page.getByText('Scale-down delay').first().waitFor();
  const promotion = page.getByText('Pre-promotion analysis').first();
  const card = promotion.locator(
    'xpath=ancestor::div[contains(@class,"MuiCard-root")][1]',
  );
  await card.scrollIntoViewIfNeeded();
  await sleep(1500);
  await card.screenshot({ path: `${OUT}8-inventory-blue-green-details.png` });
  log('wrote 8-inventory-blue-green-details.png');
} finally {
  await control.setScenario('search', 'steady').catch(() => undefined);
  await browser.close();
}
