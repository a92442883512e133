import { expect, test } from '@playwright/test';
import { entityTab, screenshot, signInAsGuest, visit } from './helpers';
import { setScenario } from './sandbox';

// The fleet page at /delivery: the guest's groups' services ("Mine"), then
// every owner's, one row each and a column per environment; the "canary in
// progress" filter goes to the URL and leaves the services with a canary
// under way; a row opens the entity's Delivery tab.

test('the fleet page filters to the canaries in progress and a row opens the Delivery tab', async ({
  page,
}) => {
  test.setTimeout(300_000);
  await setScenario('checkout', 'healthy-canary');
  await signInAsGuest(page);

  await page
    .getByRole('navigation')
    .getByRole('link', { name: 'Delivery' })
    .first()
    .click();
  await expect(page).toHaveURL(/\/delivery$/);
  const matrix = page.getByRole('table', { name: 'What is deployed where' });
  // "Mine" is the guest's ownership refs: the demo's guest is in
  // team-storefront (examples/org.yaml), which owns checkout, payments and
  // inventory; search is team-discovery's
  await expect(
    matrix.getByRole('link', { name: 'checkout: open its Delivery tab' }),
  ).toBeVisible({ timeout: 120_000 });
  await expect(
    matrix.getByRole('link', { name: 'search: open its Delivery tab' }),
  ).toHaveCount(0);
  // every owner: the other team's service too
  await page.locator('#fleet-owner').click();
  await page.getByRole('option', { name: 'All owners' }).click();
  await expect(page).toHaveURL(/[?&]owner=all/);
  await expect(
    matrix.getByRole('link', { name: 'search: open its Delivery tab' }),
  ).toBeVisible({ timeout: 60_000 });
  // the page computes its cells' signals itself (no tab was opened): within
  // a few refreshes checkout's row shows its worst security finding
  const checkoutRow = matrix
    .getByTestId('fleet-row')
    .filter({ hasText: 'checkout' });
  await expect(async () => {
    await page.reload({ waitUntil: 'domcontentloaded' });
    await expect(checkoutRow).toContainText(
      /no findings|\d+ (CRITICAL|HIGH|MEDIUM|LOW|UNKNOWN)/,
      { timeout: 10_000 },
    );
  }).toPass({ timeout: 90_000, intervals: [3_000] });
  for (const env of ['dev', 'staging', 'production']) {
    await expect(
      matrix.getByRole('columnheader', { name: env, exact: true }),
    ).toBeVisible();
  }
  const rows = matrix.getByTestId('fleet-row');
  expect(await rows.count()).toBeGreaterThan(1);

  await page.getByRole('button', { name: 'Canary in progress' }).click();
  await expect(page).toHaveURL(/[?&]owner=all/);
  await expect(page).toHaveURL(/[?&]state=canary/);
  await expect(
    page.getByRole('button', { name: '✓ Canary in progress' }),
  ).toHaveAttribute('aria-pressed', 'true');
  const checkout = matrix.getByRole('link', {
    name: 'checkout: open its Delivery tab',
  });
  // the backend caches Argo CD reads for a few seconds: reload until the
  // restarted release shows as a canary
  await expect(async () => {
    await page.reload({ waitUntil: 'domcontentloaded' });
    await expect(checkout).toBeVisible({ timeout: 10_000 });
  }).toPass({ timeout: 90_000, intervals: [3_000] });
  await expect(
    matrix.getByTestId('fleet-row').filter({ hasText: 'checkout' }),
  ).toContainText(/canary (\S+ )?(step \d+\/\d+, )?\d+%/);
  // every row left has a canary under way
  for (const row of await matrix.getByTestId('fleet-row').all()) {
    await expect(row).toContainText('Canary in progress');
  }
  await screenshot(page, 'fleet-canary-in-progress');

  await checkout.click();
  await expect(page).toHaveURL(
    /\/catalog\/default\/component\/checkout\/delivery/,
  );
  await expect(entityTab(page, 'Delivery')).toBeVisible();
  await expect(
    page.getByRole('region', { name: 'Environment production' }),
  ).toBeVisible({ timeout: 60_000 });

  // a shared view opens with its filters
  await visit(page, '/delivery?owner=all&state=canary&sort=attention');
  await expect(
    page.getByRole('button', { name: '✓ Canary in progress' }),
  ).toHaveAttribute('aria-pressed', 'true');
  await expect(matrix.getByRole('link', { name: /checkout/ })).toBeVisible({
    timeout: 60_000,
  });
});
