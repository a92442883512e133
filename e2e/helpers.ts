import { expect, type Page } from '@playwright/test';

/**
 * Opens a page of the app. It waits for the document only: the dev server's
 * bundle can take long to load on a busy machine, and the assertions that
 * follow wait for what they need.
 */
export async function visit(page: Page, path: string) {
  await page.goto(path, { waitUntil: 'domcontentloaded' });
}

/** Opens the app and signs in as guest. */
export async function signInAsGuest(page: Page) {
  await visit(page, '/');
  const enter = page.getByRole('button', { name: 'Enter' });
  await expect(enter).toBeVisible({ timeout: 120_000 });
  await enter.click();
  await expect(enter).toBeHidden();
  await expect(
    page.getByRole('heading', { name: /Catalog/ }).first(),
  ).toBeVisible();
}

/** Saves a full-page screenshot under .tmp/e2e-screenshots/. */
export async function screenshot(page: Page, name: string) {
  await page.screenshot({
    path: `.tmp/e2e-screenshots/${name}.png`,
    fullPage: true,
  });
}

/** A tab of the entity page (links in the content navigation). */
export function entityTab(page: Page, name: string) {
  return page
    .getByRole('navigation', { name: 'Content navigation' })
    .getByRole('link', { name, exact: true });
}
