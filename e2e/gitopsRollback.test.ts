import { expect, test } from '@playwright/test';
import { entityTab, screenshot, signInAsGuest, visit } from './helpers';
import { advanceClock, setScenario } from './sandbox';

// The GitOps rollback (issue 20 item 2): checkout's staging Application syncs
// automatically, so Argo CD would refuse a rollback; the dialog opens a pull
// request on acme/checkout that restores deploy/staging to the chosen
// revision (the sandbox's GitHub double), the tab follows it until the
// sandbox merges it and Argo CD syncs it, and the audit trail has the row.

test('checkout: rolling staging back to an earlier revision opens a pull request, tracked until synced', async ({
  page,
}) => {
  await setScenario('checkout', 'healthy-canary');
  await signInAsGuest(page);
  await visit(page, '/catalog/default/component/checkout');
  await entityTab(page, 'Delivery').click();
  await expect(page).toHaveURL(/\/component\/checkout\/delivery/);

  const staging = page.getByRole('region', {
    name: 'Application checkout-staging in staging',
  });
  await expect(staging).toContainText('auto-sync', { timeout: 90_000 });
  await staging
    .getByRole('group', { name: 'Actions on application checkout-staging' })
    .getByRole('button', { name: 'Roll back' })
    .click();

  const dialog = page.getByRole('dialog', {
    name: 'Roll back: checkout-staging in staging',
  });
  await expect(dialog.getByText('A pull request will be opened')).toBeVisible();
  const reason = 'e2e: staging back to the previous release (GitOps)';
  await dialog.getByRole('textbox', { name: 'Reason' }).fill(reason);
  // the newest entry it may go to: the release before the deployed one
  await dialog
    .getByRole('radiogroup', { name: 'History entry to roll back to' })
    .getByRole('radio')
    .first()
    .check();
  await dialog
    .getByRole('button', { name: 'Confirm: open a rollback pull request' })
    .click();

  await expect(dialog.getByText('Pull request opened')).toBeVisible();
  const status = dialog.getByRole('status', { name: 'Rollback pull request' });
  await expect(
    status.getByRole('link', { name: /acme\/checkout#\d+/ }),
  ).toHaveAttribute(
    'href',
    /^https:\/\/github\.com\/acme\/checkout\/pull\/\d+$/,
  );
  await expect(status).toContainText('open, waiting for review and merge');
  await screenshot(page, 'gitops-rollback-pull-request-open');

  // the sandbox merges it by itself after 20 simulated seconds; Argo CD's
  // automated sync of the merge then takes 5
  await advanceClock(30);
  await expect(status).toContainText(
    'synced: the Application runs the restored revision',
    { timeout: 120_000 },
  );
  await screenshot(page, 'gitops-rollback-synced');
  await dialog.getByRole('button', { name: 'Close' }).click();

  const auditRow = page.getByRole('row').filter({ hasText: reason });
  await expect(auditRow).toContainText('rollback');
  await expect(auditRow).toContainText('allowed');
  await expect(auditRow).toContainText(
    /pull request #\d+ opened on acme\/checkout/,
  );
  await screenshot(page, 'gitops-rollback-audit-row');
  // back to the steady demo for the suites that follow
  await setScenario('checkout', 'healthy-canary');
});
