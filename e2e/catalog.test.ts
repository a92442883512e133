import { expect, test } from '@playwright/test';
import { entityTab, signInAsGuest, visit } from './helpers';

test('an annotated service has a Delivery tab; an entity without annotations has none', async ({
  page,
}) => {
  await signInAsGuest(page);

  await visit(page, '/catalog/default/component/checkout');
  await expect(page.getByRole('heading', { name: 'checkout' })).toBeVisible({
    timeout: 120_000,
  });
  await expect(entityTab(page, 'Delivery')).toBeVisible();

  await visit(page, '/catalog/default/component/storefront-docs');
  await expect(
    page.getByRole('heading', { name: 'storefront-docs' }),
  ).toBeVisible({ timeout: 120_000 });
  await expect(entityTab(page, 'Overview')).toBeVisible();
  await expect(entityTab(page, 'Delivery')).toHaveCount(0);
});
