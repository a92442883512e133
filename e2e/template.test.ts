import { expect, test, type Page } from '@playwright/test';
import fs from 'node:fs';
import path from 'node:path';
import { screenshot, signInAsGuest, visit } from './helpers';

// "Service with canary delivery" through the scaffolder's template editor,
// as a person would try it in the demo: load the template's folder, fill in
// the form, press Create, and read the dry run's result (the generated files
// and the log of every step). The editor asks for the folder with the
// browser's directory picker (File System Access API), which a headless
// browser cannot answer; the test copies the folder into the page's origin
// private file system and hands that directory to the editor instead.

const TEMPLATE_DIR = path.resolve(
  __dirname,
  '..',
  'templates',
  'service-with-canary',
);
const FOLDER = 'service-with-canary';

function templateFiles(
  dir: string,
  base = '',
): { path: string; b64: string }[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap(entry => {
    const rel = base ? `${base}/${entry.name}` : entry.name;
    const full = path.join(dir, entry.name);
    return entry.isDirectory()
      ? templateFiles(full, rel)
      : [{ path: rel, b64: fs.readFileSync(full).toString('base64') }];
  });
}

/** Copies the template folder into the origin private file system. */
async function copyTemplateIntoBrowser(page: Page) {
  const files = templateFiles(TEMPLATE_DIR);
  await page.evaluate(
    async ({ folder, entries }) => {
      const root = await navigator.storage.getDirectory();
      await root.removeEntry(folder, { recursive: true }).catch(() => {});
      const top = await root.getDirectoryHandle(folder, { create: true });
      for (const entry of entries) {
        const parts = entry.path.split('/');
        let dir = top;
        for (const part of parts.slice(0, -1)) {
          dir = await dir.getDirectoryHandle(part, { create: true });
        }
        const file = await dir.getFileHandle(parts[parts.length - 1], {
          create: true,
        });
        const writable = await file.createWritable();
        await writable.write(
          Uint8Array.from(atob(entry.b64), c => c.charCodeAt(0)),
        );
        await writable.close();
      }
    },
    { folder: FOLDER, entries: files },
  );
  return files.map(f => f.path);
}

test('the template runs in the template editor: form, dry run, generated files', async ({
  page,
}) => {
  // The editor reads window.showDirectoryPicker when its module loads, so
  // the replacement goes in before any script of the app runs.
  await page.addInitScript(folder => {
    (window as any).showDirectoryPicker = async () =>
      (await navigator.storage.getDirectory()).getDirectoryHandle(folder);
  }, FOLDER);

  await signInAsGuest(page);
  const files = await copyTemplateIntoBrowser(page);
  expect(files).toContain('template.yaml');

  await visit(page, '/create/edit');
  await page.getByText('Load Template Directory').click();

  // the editor lists the folder's files and renders the template's form
  await expect(page.getByText('template.yaml').first()).toBeVisible();
  const name = page.getByRole('textbox', { name: /^Name/ });
  await expect(name).toBeVisible();

  // step 1: Service
  await name.fill('payments-api');
  await page
    .getByRole('textbox', { name: 'Owner', exact: true })
    .fill('team-storefront');
  await page
    .getByRole('option', { name: /team-storefront/ })
    .first()
    .click();
  await page
    .getByRole('textbox', { name: 'System', exact: true })
    .fill('storefront');
  await page
    .getByRole('option', { name: /storefront/ })
    .first()
    .click();
  await page.getByRole('button', { name: 'Next' }).click();

  // step 2: Repository (RepoUrlPicker, github.com only)
  // free-text autocompletes: the value is taken when the field is left
  for (const [field, value] of [
    ['Owner', 'acme'],
    ['Repository', 'payments-api'],
  ]) {
    const box = page.getByRole('textbox', { name: field, exact: true });
    await box.fill(value);
    await box.press('Tab');
  }
  await page.getByRole('button', { name: 'Next' }).click();

  // step 3: Delivery (the defaults of the design: 5% → 25%, 0.1% errors);
  // the policy comes from the backend's configuration (DeliveryChoicePicker)
  await expect(
    page.getByRole('button', { name: /Promotion policy default \(default\)/ }),
  ).toBeVisible();
  await expect(
    page.getByRole('spinbutton', { name: /Container port/ }),
  ).toHaveValue('8080');
  await page.getByRole('button', { name: 'Next' }).click();

  // step 4: Argo CD (the demo's sandbox instance "main", existing project)
  await expect(
    page.getByRole('button', { name: 'Argo CD instance main' }),
  ).toBeVisible();
  await page.getByRole('button', { name: 'Review' }).click();

  // review, then the dry run
  await expect(page.getByText('payments-api').first()).toBeVisible();
  await page.getByRole('button', { name: 'Create' }).click();

  // The result: the generated files as a tree, each readable.
  await expect(
    page.getByRole('button', { name: 'Dry-run results' }),
  ).toBeVisible({ timeout: 120_000 });
  const result = page
    .getByRole('region')
    .filter({ has: page.getByRole('tab', { name: 'Log' }) });
  const tree = result.getByRole('tree');
  for (const entry of ['.github', 'deploy', 'src', 'catalog-info.yaml']) {
    await expect(tree.getByRole('treeitem', { name: entry })).toBeVisible();
  }
  await tree.getByRole('treeitem', { name: 'catalog-info.yaml' }).click();
  // the entity the Delivery tab reads: selector, instance, policy
  await expect(result).toContainText('argocd/app-selector: app=payments-api');
  await expect(result).toContainText('argocd/instance-name: main');
  await expect(result).toContainText('delivery.backstage.io/policy: default');
  await screenshot(page, 'template-editor-dry-run');

  // the canary of the design: 5% -> pause -> analysis -> 25% -> 100%
  await tree.getByRole('treeitem', { name: 'deploy' }).click();
  await tree.getByRole('treeitem', { name: 'base' }).click();
  await tree.getByRole('treeitem', { name: 'rollout.yaml' }).click();
  await expect(result).toContainText('kind: Rollout');
  await expect(result).toContainText('setWeight: 5');
  await expect(result).toContainText('setWeight: 25');

  // the log of every step: the policy check passed, and the Argo CD step
  // says what it would create on the sandbox's Argo CD, per environment
  await result.getByRole('tab', { name: 'Log' }).click();
  await result
    .getByText('Check the canary against the promotion policy')
    .click();
  await expect(result).toContainText(/policy "default"/i);
  await result
    .getByText('Create the Argo CD Application of each environment')
    .click();
  for (const environment of ['dev', 'staging', 'production']) {
    await expect(result).toContainText(
      `Would create Application "payments-api-${environment}"`,
    );
  }
  await screenshot(page, 'template-editor-dry-run-log');
});
