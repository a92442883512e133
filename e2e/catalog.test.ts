import { expect, test } from '@playwright/test';
import { entityTab, signInAsGuest } from './helpers';

test('an annotated service has a Delivery tab; an entity without annotations has none', async ({
  page,
}) => {
  await signInAsGuest(page);

  await page.goto('/catalog/default/component/checkout');
  await expect(page.getByRole('heading', { name: 'checkout' })).toBeVisible();
  await expect(entityTab(page, 'Delivery')).toBeVisible();

  await page.goto('/catalog/default/component/storefront-docs');
  await expect(
    page.getByRole('heading', { name: 'storefront-docs' }),
  ).toBeVisible();
  await expect(entityTab(page, 'Overview')).toBeVisible();
  await expect(entityTab(page, 'Delivery')).toHaveCount(0);
});
