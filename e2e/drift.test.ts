import { expect, test } from '@playwright/test';
import { entityTab, screenshot, signInAsGuest, visit } from './helpers';
import { setScenario } from './sandbox';

// Drift (issue 20 item 3): the sandbox's drift scenario scales checkout's
// production Rollout by hand (6 replicas in the cluster, 4 in Git); the tab
// names the drifted field, live against desired, from Argo CD's
// managed-resources comparison.

test('checkout: a manual scale-up in production shows as drift, field by field', async ({
  page,
}) => {
  await setScenario('checkout', 'drift');
  await signInAsGuest(page);
  await visit(page, '/catalog/default/component/checkout');
  await entityTab(page, 'Delivery').click();
  await expect(page).toHaveURL(/\/component\/checkout\/delivery/);
  await expect(page.getByText('Drift · production')).toBeVisible({
    timeout: 90_000,
  });
  const table = page.getByRole('table', {
    name: 'Drifted fields of Rollout checkout/checkout',
  });
  await expect(table).toBeVisible();
  const row = table.getByRole('row', { name: /spec\.replicas/ });
  await expect(row.getByRole('cell')).toHaveText(['spec.replicas', '6', '4']);
  await screenshot(page, 'drift-checkout-production');
  // back to the steady demo for the suites that follow
  await setScenario('checkout', 'healthy-canary');
});
