import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { screenshot, signInAsGuest, visit } from './helpers';

// Accessibility of what the Delivery plugins draw, with axe-core (WCAG 2.1
// A and AA rules): the tab in the light and the dark theme, the action
// dialog, and the entity overview's Delivery and DORA cards. Each check is
// scoped to the plugin's own elements (Backstage's sidebar and header are
// not ours to fix) and fails on any serious or critical violation. Then the
// tab is driven by keyboard alone. More pages join through MORE_PAGES below.

test.describe.configure({ mode: 'serial' });

const TAB = '[data-testid="delivery-tab"]';
/**
 * A section still loading: an indeterminate progress bar. A determinate one
 * (aria-valuenow: a Deployment's replicas, say) is content, not loading.
 */
const LOADING = '[role="progressbar"]:not([aria-valuenow])';

/** axe's serious and critical violations within `selector`, readable. */
async function seriousViolations(page: Page, selector: string) {
  const analyze = () =>
    new AxeBuilder({ page })
      .include(selector)
      .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
      .analyze();
  let results: Awaited<ReturnType<typeof analyze>>;
  try {
    results = await analyze();
  } catch (error) {
    // the dev server reloads the page once when it finishes a late compile
    if (!/Execution context was destroyed/.test(String(error))) throw error;
    await page.waitForLoadState('domcontentloaded');
    await expect(page.locator(selector).first()).toBeVisible({
      timeout: 180_000,
    });
    await expect(page.locator(`${selector} ${LOADING}`)).toHaveCount(0, {
      timeout: 90_000,
    });
    results = await analyze();
  }
  return results.violations
    .filter(v => v.impact === 'serious' || v.impact === 'critical')
    .map(v => ({
      rule: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.slice(0, 5).map(n => n.target.join(' ')),
    }));
}

async function openDeliveryTab(page: Page, name: string) {
  await visit(page, `/catalog/default/component/${name}/delivery`);
  await expect(page.locator(TAB)).toBeVisible({ timeout: 180_000 });
  // every section loaded: no progress bar left in the tab
  await expect(page.locator(`${TAB} ${LOADING}`)).toHaveCount(0, {
    timeout: 90_000,
  });
}

test('the Delivery tab has no serious or critical axe violation, light and dark', async ({
  page,
}) => {
  test.setTimeout(420_000);
  await signInAsGuest(page);
  await openDeliveryTab(page, 'checkout');
  expect(await seriousViolations(page, TAB)).toEqual([]);

  // Backstage's dark theme (the user setting is kept in localStorage)
  await page.evaluate(() => localStorage.setItem('theme', 'dark'));
  await page.reload({ waitUntil: 'domcontentloaded' });
  await expect(page.locator(TAB)).toBeVisible({ timeout: 180_000 });
  await expect(page.locator(`${TAB} ${LOADING}`)).toHaveCount(0, {
    timeout: 90_000,
  });
  expect(await seriousViolations(page, TAB)).toEqual([]);
  await screenshot(page, 'a11y-checkout-tab-dark');
  await page.evaluate(() => localStorage.setItem('theme', 'light'));
});

test('the action dialog has no serious or critical axe violation', async ({
  page,
}) => {
  test.setTimeout(300_000);
  await signInAsGuest(page);
  await openDeliveryTab(page, 'payments');
  await page
    .getByRole('group', { name: 'Actions on rollout payments' })
    .getByRole('button', { name: 'Promote one step' })
    .click();
  const dialog = page.getByRole('dialog', {
    name: 'Promote one step: payments in production',
  });
  await expect(dialog.getByText(/The policy (blocks|allows)/)).toBeVisible({
    timeout: 60_000,
  });
  expect(await seriousViolations(page, '[role="dialog"]')).toEqual([]);
  await dialog.getByRole('button', { name: 'Cancel' }).click();
});

test("the entity overview's Delivery and DORA cards have no serious or critical axe violation", async ({
  page,
}) => {
  test.setTimeout(300_000);
  await signInAsGuest(page);
  await visit(page, '/catalog/default/component/checkout');
  const card = page.locator('[data-testid="delivery-overview-card"]');
  await expect(
    card.getByRole('table', { name: 'Delivery per environment' }),
  ).toBeVisible({ timeout: 180_000 });
  // dev and staging have nothing to promote: not "blocked"
  await expect(card).toContainText('no promotion pending');
  expect(
    await seriousViolations(page, '[data-testid="delivery-overview-card"]'),
  ).toEqual([]);
  const dora = page.locator('[data-testid="delivery-dora-card"]');
  await expect(dora).toBeVisible({ timeout: 120_000 });
  await expect(dora.locator(LOADING)).toHaveCount(0, {
    timeout: 90_000,
  });
  expect(
    await seriousViolations(page, '[data-testid="delivery-dora-card"]'),
  ).toEqual([]);
});

test('every action of the tab is reachable and usable by keyboard', async ({
  page,
}) => {
  test.setTimeout(300_000);
  await signInAsGuest(page);
  await openDeliveryTab(page, 'payments');
  // Tab from the top of the tab's content and note what takes the focus.
  await page.locator(TAB).evaluate(el => {
    const start = document.createElement('span');
    start.tabIndex = -1;
    el.prepend(start);
    start.focus();
  });
  const reached = new Set<string>();
  for (let i = 0; i < 120; i++) {
    await page.keyboard.press('Tab');
    const name = await page.evaluate(() => {
      const el = document.activeElement as HTMLElement | null;
      if (!el) return '';
      return (
        el.getAttribute('aria-label') ??
        el.textContent?.trim().slice(0, 60) ??
        ''
      );
    });
    reached.add(name);
  }
  for (const expected of [
    'Refresh',
    'Show the stages of dev',
    'Promote one step',
    'Abort',
  ]) {
    expect([...reached]).toContainEqual(expect.stringContaining(expected));
  }
  // An action opens, is filled and is cancelled from the keyboard.
  const promote = page
    .getByRole('group', { name: 'Actions on rollout payments' })
    .getByRole('button', { name: 'Promote one step' });
  await promote.focus();
  await page.keyboard.press('Enter');
  const dialog = page.getByRole('dialog', {
    name: 'Promote one step: payments in production',
  });
  await expect(dialog).toBeVisible();
  await dialog.getByRole('textbox', { name: 'Reason' }).focus();
  await page.keyboard.type('keyboard only');
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  // An environment opens from the keyboard.
  const toggle = page.getByRole('button', { name: 'Show the stages of dev' });
  await toggle.focus();
  await page.keyboard.press('Enter');
  await expect(
    page.getByRole('list', { name: 'Pipeline stages of dev' }),
  ).toBeVisible();
  // The environment of the signals changes with the arrow keys.
  const tabs = page.getByRole('tablist', {
    name: 'Environment of the signals below',
  });
  await tabs.getByRole('tab', { selected: true }).focus();
  await page.keyboard.press('ArrowLeft');
  await page.keyboard.press('Enter');
  await expect(tabs.getByRole('tab', { name: 'staging' })).toHaveAttribute(
    'aria-selected',
    'true',
  );
});

/**
 * Further pages of the Delivery plugins to check the same way: the path to
 * open, the element that holds the plugin's content (the check is scoped to
 * it) and something in it that shows the page has loaded.
 */
const MORE_PAGES: Array<{
  name: string;
  path: string;
  selector: string;
  loaded: string;
}> = [
  {
    name: 'the fleet page',
    path: '/delivery?owner=all',
    selector: '[data-testid="delivery-fleet"]',
    loaded: 'table',
  },
];

for (const more of MORE_PAGES) {
  test(`${more.name} has no serious or critical axe violation, light and dark`, async ({
    page,
  }) => {
    test.setTimeout(300_000);
    await signInAsGuest(page);
    for (const theme of ['light', 'dark']) {
      await page.evaluate(t => localStorage.setItem('theme', t), theme);
      await visit(page, more.path);
      const root = page.locator(more.selector);
      await expect(root.locator(more.loaded).first()).toBeVisible({
        timeout: 180_000,
      });
      await expect(root.locator(LOADING)).toHaveCount(0, {
        timeout: 90_000,
      });
      expect(await seriousViolations(page, more.selector)).toEqual([]);
    }
    await page.evaluate(() => localStorage.setItem('theme', 'light'));
  });
}
