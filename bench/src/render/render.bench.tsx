/**
 * @jest-environment @backstage/cli-module-test-jest/config/jest-environment-jsdom
 */
// A benchmark, not a test: named *.bench.tsx so no Jest run of the repo picks
// it up; `yarn workspace bench render` runs it and writes its numbers to
// BENCH_RENDER_OUT.
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import {
  TestApiProvider,
  mockApis,
  renderInTestApp,
} from '@backstage/test-utils';
import { deliveryApiRef } from '@gitops-delivery/backstage-plugin-delivery';
import { cleanup, waitFor } from '@testing-library/react';
import { writeFileSync } from 'node:fs';
// eslint-disable-next-line @backstage/no-undeclared-imports -- bench is no library; it brings its own React
import { Profiler, type ProfilerOnRenderCallback } from 'react';
// The component itself, not the plugin's lazily loaded extension of it.
// eslint-disable-next-line @backstage/no-relative-monorepo-imports -- not exported
import { EntityDeliveryContent } from '../../../plugins/delivery/src/components/EntityDeliveryContent';
import { median } from '../lib/stats';
import { LARGE_VIEW, entity, largeViewApi as api } from './largeView';

const RENDERS = Number(process.env.BENCH_RENDERS ?? '20');

async function renderOnce(): Promise<{
  profilerMs: number;
  wallMs: number;
  commits: number;
}> {
  let profilerMs = 0;
  let commits = 0;
  const onRender: ProfilerOnRenderCallback = (_id, _phase, actualDuration) => {
    profilerMs += actualDuration;
    commits++;
  };
  const started = performance.now();
  await renderInTestApp(
    <TestApiProvider
      apis={[
        [deliveryApiRef, api],
        [
          permissionApiRef,
          mockApis.permission({ authorize: AuthorizeResult.ALLOW }),
        ],
      ]}
    >
      <EntityProvider entity={entity}>
        <Profiler id="EntityDeliveryContent" onRender={onRender}>
          <EntityDeliveryContent pollIntervalMs={3_600_000} />
        </Profiler>
      </EntityProvider>
    </TestApiProvider>,
  );
  await waitFor(
    () => {
      expect(
        document.querySelector('[aria-label="Environment env-9"]'),
      ).not.toBeNull();
      expect(document.body.textContent).toContain('Findings');
    },
    { interval: 20, timeout: 120_000 },
  );
  const wallMs = performance.now() - started;
  cleanup();
  return { profilerMs, wallMs, commits };
}

jest.setTimeout(15 * 60_000);

describe('render benchmark', () => {
  it(`renders EntityDeliveryContent with a large view ${RENDERS} times`, async () => {
    await renderOnce(); // warm-up: module init and JIT, not counted
    const runs = [];
    for (let i = 0; i < RENDERS; i++) runs.push(await renderOnce());
    const result = {
      renders: RENDERS,
      view: LARGE_VIEW,
      medianProfilerMs:
        Math.round(median(runs.map(r => r.profilerMs)) * 10) / 10,
      medianWallMs: Math.round(median(runs.map(r => r.wallMs)) * 10) / 10,
      medianCommits: median(runs.map(r => r.commits)),
      profilerMs: runs.map(r => Math.round(r.profilerMs * 10) / 10),
    };
    // eslint-disable-next-line no-console
    console.log(JSON.stringify(result));
    if (process.env.BENCH_RENDER_OUT) {
      writeFileSync(
        process.env.BENCH_RENDER_OUT,
        JSON.stringify(result, null, 2),
      );
    }
    expect(runs).toHaveLength(RENDERS);
  });
});
