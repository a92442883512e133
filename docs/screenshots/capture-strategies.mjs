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

  // plain Deployments (deploymentView): checkout's dev rolls a release out
  // with a rolling update and staging with Recreate; then a rollout that
  // never gets ready and passes its progress deadline
  const deploymentCard = environment =>
    page
      .getByText(new RegExp(`^Deployment .+ · ${environment}$`))
      .first()
      .locator('xpath=ancestor::div[contains(@class,"MuiCard-root")][1]');
  const shootDeployment = async (environment, marker, file, advanceBy = 0) => {
    for (let attempt = 1; ; attempt++) {
      if (attempt > 1 && advanceBy > 0) await control.advance(advanceBy);
      await page.goto(`${APP}/catalog/default/component/checkout/delivery`, {
        waitUntil: 'domcontentloaded',
      });
      try {
        await deploymentCard(environment)
          .getByText(marker)
          .first()
          .waitFor({ timeout: advanceBy > 0 ? 20_000 : 60_000 });
        break;
      } catch (error) {
        if (attempt === 6) throw error;
        log(`${environment}: "${marker}" not shown yet (attempt ${attempt})`);
      }
    }
    const found = deploymentCard(environment);
    await found.scrollIntoViewIfNeeded();
    await sleep(1500);
    await found.screenshot({ path: `${OUT}${file}` });
    log(`wrote ${file}`);
  };
  log('checkout: deployment-strategies');
  await control.setScenario('checkout', 'deployment-strategies');
  await control.advance(50);
  await shootDeployment(
    'dev',
    /Rolling update/,
    '8b-checkout-rolling-update.png',
  );
  await shootDeployment('staging', /Recreate/, '8c-checkout-recreate.png');
  log('checkout: deployment-stuck');
  await control.setScenario('checkout', 'deployment-stuck');
  await control.advance(150);
  await shootDeployment(
    'dev',
    /ProgressDeadlineExceeded/,
    '8d-checkout-deployment-stuck.png',
    60,
  );
} finally {
  await control.setScenario('search', 'steady').catch(() => undefined);
  await control
    .setScenario('checkout', 'healthy-canary')
    .catch(() => undefined);
  await browser.close();
}
