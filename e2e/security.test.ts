import { expect, test, type Page } from '@playwright/test';
import { entityTab, screenshot, signInAsGuest, visit } from './helpers';
import { advanceClock, sandboxRollout, setScenario } from './sandbox';

// The security layers (issue 19) through the demo: a Critical Falco
// detection in checkout's canary Pods (the sandbox's runtime-critical
// scenario) makes the runtime layer fail the built-in policy's budget, and
// the canary guard aborts the canary as it would on an SLO breach.

test.describe.configure({ mode: 'serial' });

function rolloutCard(page: Page, name: string) {
  return page
    .locator('.MuiCard-root')
    .filter({ has: page.getByText(`Rollout ${name} · production`) });
}

async function openDeliveryTab(page: Page, name: string) {
  await visit(page, `/catalog/default/component/${name}`);
  await expect(page.getByRole('heading', { name })).toBeVisible({
    timeout: 120_000,
  });
  await entityTab(page, 'Delivery').click();
  await expect(page).toHaveURL(new RegExp(`/component/${name}/delivery`));
  await expect(page.getByText('Environments', { exact: true })).toBeVisible({
    timeout: 90_000,
  });
}

test('checkout: a Critical runtime detection in the canary, aborted by the canary guard', async ({
  page,
}) => {
  test.setTimeout(420_000);
  await setScenario('checkout', 'runtime-critical');
  // the detections fire 45-90 simulated seconds into the canary
  await advanceClock(60);
  await advanceClock(60);

  await signInAsGuest(page);
  await openDeliveryTab(page, 'checkout');
  // the guard runs every few seconds (delivery.guard.intervalSeconds)
  await expect
    .poll(async () => (await sandboxRollout('checkout')).abort, {
      timeout: 180_000,
      intervals: [5_000],
    })
    .toBe(true);
  await page.reload();
  await expect(
    rolloutCard(page, 'checkout').getByText(/Rollout aborted/),
  ).toBeVisible({ timeout: 90_000 });

  // the guard's record names the runtime gate
  const guardRow = page
    .getByRole('row')
    .filter({ hasText: 'Canary guard' })
    .first();
  await expect(guardRow).toBeVisible({ timeout: 90_000 });
  await expect(guardRow).toContainText('abort');
  await expect(guardRow).toContainText(/runtime|Drop and execute new binary/i);
  await guardRow.scrollIntoViewIfNeeded();
  await screenshot(page, '6-checkout-runtime-critical-aborted-by-guard');
});
