// Captures change control (issues 20 and 21) from the running demo (npm
// start): checkout's production drift field by field (the sandbox's drift
// scenario scales the Rollout by hand), what a promotion changes in the
// promote dialog, an Application's history with two entries compared, the
// GitOps rollback of the auto-synced staging Application (its pull request
// and the audit trail row), and the source panel's note while the sandbox's
// Argo CD streams are broken (restored afterwards). Run: node
// docs/screenshots/capture-change-control.mjs (Chromium from CHROMIUM,
// default /usr/bin/chromium).
import { sandboxControl } from 'sandbox/control-client.mjs';
import {
  APP,
  OUT,
  SANDBOX,
  card,
  log,
  openSignedIn,
  shoot,
  sleep,
} from './demoBrowser.mjs';

const control = sandboxControl(SANDBOX);

/** Opens checkout's tab and reloads until `locator(page)` shows. */
async function openUntil(page, locator, what) {
  for (let attempt = 1; ; attempt++) {
    await page.goto(`${APP}/catalog/default/component/checkout/delivery`, {
      waitUntil: 'domcontentloaded',
    });
    try {
      await page
        .getByLabel('Environment production')
        .first()
        .waitFor({ timeout: 120_000 });
      await locator(page).first().waitFor({ timeout: 30_000 });
      return;
    } catch (error) {
      if (attempt === 6) throw error;
      log(`${what} not shown yet (attempt ${attempt})`);
    }
  }
}

const { browser, page } = await openSignedIn();
try {
  // 10: drift, field by field
  log('checkout: drift');
  await control.setScenario('checkout', 'drift');
  await openUntil(
    page,
    p =>
      p.getByRole('table', {
        name: 'Drifted fields of Rollout checkout/checkout',
      }),
    'the drift table',
  );
  await shoot(card(page, 'Drift · production'), '10-checkout-drift.png');

  // 10b: the promote dialog's "What this promotion changes"
  log('checkout: what a promotion changes');
  await control.setScenario('checkout', 'healthy-canary');
  await openUntil(
    page,
    p =>
      p
        .getByRole('group', { name: 'Actions on rollout checkout' })
        .getByRole('button', { name: 'Promote one step' }),
    'the promote button',
  );
  await page
    .getByRole('group', { name: 'Actions on rollout checkout' })
    .getByRole('button', { name: 'Promote one step' })
    .click();
  const promote = page.getByRole('dialog');
  const changes = promote.getByRole('region', {
    name: 'What this promotion changes',
  });
  // its parts show once the changes route answers
  await changes
    .getByRole('region', { name: 'Manifests' })
    .waitFor({ timeout: 60_000 });
  await changes.getByRole('heading').first().scrollIntoViewIfNeeded();
  await sleep(3000);
  await page.screenshot({
    path: `${OUT}10b-checkout-promote-what-changes.png`,
  });
  log('wrote 10b-checkout-promote-what-changes.png');
  await promote.getByRole('button', { name: 'Cancel' }).click();

  // 10c: an Application's history, two entries compared
  log('checkout: history compare');
  const apps = card(page, 'Argo CD applications');
  const production = page.getByRole('region', {
    name: 'Application checkout-production in production',
  });
  await production.getByText(/^History of checkout-production/).click();
  const pickers = production.getByRole('group', {
    name: 'Pick two history entries of checkout-production',
  });
  await pickers.waitFor();
  // an older "from" entry than the default (the previous one), when there is one
  const from = pickers.getByLabel('From entry');
  const options = await from
    .locator('option')
    .evaluateAll(o => o.map(e => e.getAttribute('value')));
  if (options.length > 2) await from.selectOption(options[2]);
  await production
    .getByRole('region', { name: /^What changes from entry/ })
    .getByRole('region', { name: 'Manifests' })
    .waitFor({ timeout: 60_000 });
  await sleep(5000);
  await shoot(apps, '10c-checkout-history-compare.png');
  await production.getByText(/^History of checkout-production/).click();

  // 10d/10e: the GitOps rollback of the auto-synced staging Application
  log('checkout: GitOps rollback');
  const staging = page.getByRole('region', {
    name: 'Application checkout-staging in staging',
  });
  await staging
    .getByRole('group', { name: 'Actions on application checkout-staging' })
    .getByRole('button', { name: 'Roll back' })
    .click();
  const dialog = page.getByRole('dialog', {
    name: 'Roll back: checkout-staging in staging',
  });
  await dialog.getByText('A pull request will be opened').waitFor();
  const reason = 'Staging back to the previous release while 1.5.0 is checked';
  await dialog.getByRole('textbox', { name: 'Reason' }).fill(reason);
  await dialog
    .getByRole('radiogroup', { name: 'History entry to roll back to' })
    .getByRole('radio')
    .first()
    .check();
  await dialog
    .getByRole('button', { name: 'Confirm: open a rollback pull request' })
    .click();
  await dialog.getByText('Pull request opened').waitFor();
  const status = dialog.getByRole('status', { name: 'Rollback pull request' });
  await status.getByText('open, waiting for review and merge').waitFor();
  await status.scrollIntoViewIfNeeded();
  await sleep(1500);
  await page.screenshot({ path: `${OUT}10d-checkout-gitops-rollback.png` });
  log('wrote 10d-checkout-gitops-rollback.png');
  await dialog.getByRole('button', { name: 'Close' }).click();
  // the app's notice of the action would cover the audit trail
  const notice = page
    .getByRole('alert')
    .filter({ hasText: 'Roll back of checkout-staging' });
  await notice
    .getByRole('button')
    .first()
    .click({ timeout: 10_000 })
    .catch(() => undefined);
  await notice.waitFor({ state: 'hidden', timeout: 30_000 });
  const auditRow = page.getByRole('row').filter({ hasText: reason }).first();
  await auditRow
    .getByText(/pull request #\d+ opened on acme\/checkout/)
    .first()
    .waitFor();
  await auditRow.scrollIntoViewIfNeeded();
  await shoot(
    card(page, 'Audit trail'),
    '10e-checkout-gitops-rollback-audit.png',
  );

  // 10f: live updates unavailable while the Argo CD streams answer 500
  log('Argo CD streams: error');
  await control.call('/sandbox/argocd-streams', { fault: 'error' });
  await sleep(15_000);
  await openUntil(
    page,
    p => p.getByText(/Live updates unavailable: /),
    'the live updates note',
  );
  const note = page
    .getByText(/Live updates unavailable: /)
    .first()
    .locator('xpath=ancestor::div[@role="alert"][1]');
  await note.scrollIntoViewIfNeeded();
  await sleep(1500);
  await page.screenshot({
    path: `${OUT}10f-checkout-live-updates-unavailable.png`,
  });
  log('wrote 10f-checkout-live-updates-unavailable.png');
} finally {
  await control
    .call('/sandbox/argocd-streams', { fault: 'none' })
    .catch(() => undefined);
  await control
    .setScenario('checkout', 'healthy-canary')
    .catch(() => undefined);
  await browser.close();
}
