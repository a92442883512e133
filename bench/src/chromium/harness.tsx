// The page the Chromium render benchmark loads: the Delivery tab with the
// large view, bundled with React's production build (see chromiumRender.ts).
// It exposes window.deliveryBench; every measurement runs inside the page
// with the Performance API, the scripting time is read by the driver from
// Chrome's own counters around each call.
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import {
  TestApiProvider,
  mockApis,
  wrapInTestApp,
} from '@backstage/test-utils';
import { deliveryApiRef } from '@gitops-delivery/backstage-plugin-delivery';
// eslint-disable-next-line @backstage/no-undeclared-imports -- bench brings its own React
import { createRoot, type Root } from 'react-dom/client';
// eslint-disable-next-line @backstage/no-relative-monorepo-imports -- the component itself, not its lazy extension
import { EntityDeliveryContent } from '../../../plugins/delivery/src/components/EntityDeliveryContent';
import { entity, largeViewApi } from '../render/largeView';

/** Resolves once `done()` holds, checked after every DOM change. */
function until(done: () => boolean, root: Node): Promise<void> {
  return new Promise((resolve, reject) => {
    if (done()) {
      resolve();
      return;
    }
    const pending: { timer?: ReturnType<typeof setTimeout> } = {};
    const observer = new MutationObserver(() => {
      if (done()) {
        observer.disconnect();
        clearTimeout(pending.timer);
        resolve();
      }
    });
    pending.timer = setTimeout(() => {
      observer.disconnect();
      reject(new Error('timed out waiting for the view'));
    }, 60_000);
    observer.observe(root, {
      childList: true,
      subtree: true,
      characterData: true,
      attributes: true,
    });
  });
}

let root: Root | undefined;
let container: HTMLElement | undefined;

const complete = (el: HTMLElement) => () =>
  Boolean(el.querySelector('[aria-label="Environment env-9"]')) &&
  (el.textContent ?? '').includes('Findings') &&
  el.querySelectorAll('[role="progressbar"]').length === 0;

async function mount(): Promise<number> {
  unmount();
  container = document.createElement('div');
  document.body.appendChild(container);
  const el = container;
  const started = performance.now();
  root = createRoot(el);
  root.render(
    wrapInTestApp(
      <TestApiProvider
        apis={[
          [deliveryApiRef, largeViewApi],
          [
            permissionApiRef,
            mockApis.permission({ authorize: AuthorizeResult.ALLOW }),
          ],
        ]}
      >
        <EntityProvider entity={entity}>
          <EntityDeliveryContent pollIntervalMs={3_600_000} />
        </EntityProvider>
      </TestApiProvider>,
    ),
  );
  await until(complete(el), el);
  return performance.now() - started;
}

function unmount() {
  root?.unmount();
  container?.remove();
  root = undefined;
  container = undefined;
}

/** Switches the signals to another environment; resolves when its sections are drawn. */
async function switchEnvironment(name: string): Promise<number> {
  const el = container!;
  const tab = Array.from(el.querySelectorAll<HTMLElement>('[role="tab"]')).find(
    t => t.textContent === name,
  );
  if (!tab) throw new Error(`no tab ${name}`);
  const started = performance.now();
  tab.click();
  await until(
    () =>
      (el.textContent ?? '').includes(`Promotion gates · ${name}`) &&
      el.querySelectorAll('[role="progressbar"]').length === 0,
    el,
  );
  return performance.now() - started;
}

/** Expands the first audit row to its gates, or closes it again. */
async function toggleAuditRow(): Promise<number> {
  const el = container!;
  const button = Array.from(
    el.querySelectorAll<HTMLElement>('button[aria-expanded]'),
  ).find(b => /gates \(/.test(b.textContent ?? ''));
  if (!button) throw new Error('no audit row to expand');
  const before = button.getAttribute('aria-expanded');
  const started = performance.now();
  button.click();
  await until(() => button.getAttribute('aria-expanded') !== before, el);
  return performance.now() - started;
}

declare global {
  interface Window {
    deliveryBench: {
      mount: typeof mount;
      unmount: typeof unmount;
      switchEnvironment: typeof switchEnvironment;
      toggleAuditRow: typeof toggleAuditRow;
    };
  }
}

window.deliveryBench = { mount, unmount, switchEnvironment, toggleAuditRow };
