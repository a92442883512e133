import { expect, test, type Page } from '@playwright/test';
import { entityTab, screenshot, signInAsGuest, visit } from './helpers';
import {
  advanceClock,
  advanceUntil,
  sandboxRollout,
  setScenario,
} from './sandbox';

// One release of the demo world, driven through the UI. The tests share the
// sandbox's state, so they run in order; each one first puts the service it
// uses into the scenario it needs. Time: the sandbox runs SANDBOX_TIME_SCALE
// (playwright.config.ts) times faster than real time, and the SLO-breach test
// moves its simulated clock forward through the control API.

test.describe.configure({ mode: 'serial' });

const ENVIRONMENTS = ['dev', 'staging', 'production'];
const STAGES = [
  'Commit',
  'CI',
  'Image',
  'Manifest',
  'Reconcile',
  'Staging',
  'Production',
];

/** The card of a service's production Rollout on the Delivery tab. */
function rolloutCard(page: Page, name: string) {
  return page
    .locator('.MuiCard-root')
    .filter({ has: page.getByText(`Rollout ${name} · production`) });
}

function traffic(page: Page, canary: number) {
  return page.getByRole('img', {
    name: `Traffic: canary ${canary}%, stable ${100 - canary}%`,
  });
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

/** Clicks the tab's Refresh button rather than waiting for the next poll. */
async function refresh(page: Page) {
  const button = page.getByRole('button', {
    name: 'Refresh this view',
    exact: true,
  });
  await expect(button).toBeEnabled();
  await button.click();
}

test('checkout: every stage, the canary at 5% in its pause, 25% after it, promoted with a reason through the confirmation dialog', async ({
  page,
}) => {
  test.setTimeout(480_000);
  await signInAsGuest(page);
  // The first visit compiles the tab's code in the dev server; do it before
  // the release starts so the 5% pause is still on when the page shows it.
  await openDeliveryTab(page, 'checkout');

  await setScenario('checkout', 'healthy-canary');
  // The backend caches Argo CD reads for a few seconds (delivery.cache):
  // refresh until the restarted release shows.
  await expect(async () => {
    await refresh(page);
    await expect(traffic(page, 5)).toBeVisible({ timeout: 3_000 });
  }).toPass({ timeout: 60_000, intervals: [2_000] });

  // The environment rolling out is open; the others are their headline
  // line until opened.
  await expect(
    page.getByRole('region', { name: 'Environment production' }),
  ).toContainText(/is at 5% in production/);
  for (const env of ENVIRONMENTS) {
    const region = page.getByRole('region', { name: `Environment ${env}` });
    await expect(region).toBeVisible();
    const show = region.getByRole('button', {
      name: `Show the stages of ${env}`,
    });
    if (env !== 'production') await show.click();
    const stages = region.getByRole('list', {
      name: `Pipeline stages of ${env}`,
    });
    await expect(stages.getByRole('listitem')).toHaveCount(STAGES.length);
    for (const stage of STAGES) {
      await expect(
        stages.getByText(stage, { exact: true }).first(),
      ).toBeVisible();
    }
  }

  const card = rolloutCard(page, 'checkout');
  await expect(traffic(page, 5)).toBeVisible();
  const steps = card.getByRole('list', { name: 'Steps of checkout' });
  await expect(steps.locator('[aria-current="step"]')).toContainText('Step 2');
  await expect(
    card.getByRole('timer', { name: 'Pause remaining' }),
  ).toBeVisible();
  await screenshot(page, '1-checkout-canary-5-percent-paused');

  // The timed pause ends by itself, the analysis passes and the canary moves
  // to 25%, where it waits (indefinite pause) for someone to promote it.
  await expect(traffic(page, 25)).toBeVisible({ timeout: 240_000 });
  await expect(card.getByText(/until someone promotes it/)).toBeVisible();

  // The default policy wants a 10-minute soak at the current step: open the
  // dialog once the policy allows the promotion (the dialog evaluates it).
  const actions = card.getByRole('group', {
    name: 'Actions on rollout checkout',
  });
  const dialog = page.getByRole('dialog', {
    name: 'Promote one step: checkout in production',
  });
  await expect(async () => {
    if (await dialog.isVisible()) {
      await dialog.getByRole('button', { name: 'Cancel' }).click();
    }
    await actions.getByRole('button', { name: 'Promote one step' }).click();
    await expect(
      dialog.getByText('The policy allows this promotion'),
    ).toBeVisible({ timeout: 15_000 });
  }).toPass({ timeout: 240_000, intervals: [5_000] });

  const confirm = dialog.getByRole('button', {
    name: 'Confirm: promote one step',
  });
  await expect(confirm).toBeDisabled(); // a reason is required
  await dialog
    .getByRole('textbox', { name: 'Reason' })
    .fill('e2e: canary healthy at 25% after the soak');
  await confirm.click();
  await expect(dialog).toBeHidden();

  // The promotion is in the audit trail with its reason, and the canary moves
  // past 25% (the next step sets the weight to 100%).
  const auditRow = page
    .getByRole('row')
    .filter({ hasText: 'e2e: canary healthy at 25% after the soak' });
  await expect(auditRow).toContainText('promote');
  await expect(auditRow).toContainText('allowed');
  await expect(async () => {
    await refresh(page);
    await expect(traffic(page, 25)).toBeHidden({ timeout: 5_000 });
  }).toPass({ timeout: 120_000 });
  expect((await sandboxRollout('checkout')).currentStepIndex).toBeGreaterThan(
    4,
  );
});

test('checkout: the SLO-breach scenario, aborted by the canary guard with the reason in the audit trail', async ({
  page,
}) => {
  test.setTimeout(420_000);
  await setScenario('checkout', 'slo-breach');
  // Through the 10-minute pause and the (passing) analysis to 25%, where the
  // canary's error ratio is 1.2% and its p99 0.8 s; then 5 more minutes so the
  // SLO queries' 5-minute rate windows hold only breaching samples.
  await advanceUntil('checkout', r => r.canaryWeight === 25 || r.abort, 30);
  for (let minute = 0; minute < 5; minute++) await advanceClock(60);

  await signInAsGuest(page);
  await openDeliveryTab(page, 'checkout');
  const card = rolloutCard(page, 'checkout');
  // The guard runs every few seconds (delivery.guard.intervalSeconds).
  await expect(async () => {
    await refresh(page);
    await expect(card.getByText(/Rollout aborted/)).toBeVisible({
      timeout: 5_000,
    });
  }).toPass({ timeout: 180_000, intervals: [5_000] });
  expect((await sandboxRollout('checkout')).abort).toBe(true);

  // The audit table loads with the tab: reload to read the guard's record.
  await page.reload();
  const guardRow = page
    .getByRole('row')
    .filter({ hasText: 'Canary guard' })
    .first();
  await expect(guardRow).toBeVisible({ timeout: 90_000 });
  await expect(guardRow).toContainText('guard');
  await expect(guardRow).toContainText('abort');
  await expect(guardRow).toContainText(/error|latency|p99|SLO/i);
  await guardRow.scrollIntoViewIfNeeded();
  await screenshot(page, '2-checkout-slo-breach-aborted-by-guard');
});

test('payments: promote is blocked, the vulnerability gate fails', async ({
  page,
}) => {
  test.setTimeout(300_000);
  await signInAsGuest(page);
  await openDeliveryTab(page, 'payments');

  const card = rolloutCard(page, 'payments');
  const actions = card.getByRole('group', {
    name: 'Actions on rollout payments',
  });
  await actions.getByRole('button', { name: 'Promote one step' }).click();
  const dialog = page.getByRole('dialog', {
    name: 'Promote one step: payments in production',
  });
  await expect(
    dialog.getByText('The policy blocks this promotion'),
  ).toBeVisible();
  const gates = dialog.getByRole('list', { name: 'Policy gates' });
  await expect(
    gates.getByRole('listitem').filter({ hasText: 'no-high-or-critical-cves' }),
  ).toContainText('fail');

  // Confirming anyway: the backend evaluates the policy again and refuses.
  await dialog
    .getByRole('textbox', { name: 'Reason' })
    .fill('e2e: try to promote a canary with a critical CVE');
  await dialog
    .getByRole('button', { name: 'Confirm: promote one step' })
    .click();
  await expect(
    dialog.getByText('Blocked by the promotion policy'),
  ).toBeVisible();
  const blocked = dialog.getByRole('list', {
    name: 'Gates that blocked the action',
  });
  await expect(
    blocked
      .getByRole('listitem')
      .filter({ hasText: 'no-high-or-critical-cves' }),
  ).toContainText(/fail/);
  await expect(blocked).toContainText(/CRITICAL/);
  await screenshot(page, '3-payments-promote-blocked-by-vulnerabilities');
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  expect((await sandboxRollout('payments')).fullyPromoted).toBe(false);
});
