import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import type { DeliveryOverview } from '@gitops-delivery/backstage-plugin-delivery-common';
import type { DeliveryState, OverviewContributor } from './OverviewService';
import { runContributors } from './runContributors';

function state(): DeliveryState {
  const overview: DeliveryOverview = {
    entityRef: 'component:default/checkout',
    generatedAt: '2026-11-27T12:00:00.000Z',
    annotations: { instances: [], projects: [] },
    warnings: [],
    sources: [],
    environments: ['staging', 'production'].map(name => ({
      name,
      applications: [],
      rollouts: [],
      stages: [{ name: 'ci', status: 'unknown' }] as any,
    })),
  };
  return {
    entity: {} as DeliveryState['entity'],
    overview,
    applications: [],
    rollouts: [],
  };
}

const options = {
  credentials: mockCredentials.user(),
  budgetMs: 1_000,
  logger: mockServices.logger.mock(),
};

describe('runContributors', () => {
  afterEach(() => jest.useRealTimers());

  it('gives each contributor its own budget and applies only what finished within it', async () => {
    jest.useFakeTimers();
    const s = state();
    let lateWrite: (() => void) | undefined;
    const lateWritten = new Promise<void>(resolve => {
      lateWrite = resolve;
    });
    const slow: OverviewContributor = {
      source: 'policy',
      contribute: async own => {
        // answers after its budget, and writes anyway
        await new Promise(r => setTimeout(r, 5_000));
        for (const e of own.overview.environments) {
          e.summary = {
            ...e.summary,
            policy: { allowed: false, failing: ['soak'] },
          };
        }
        lateWrite!();
        return [{ source: 'policy', status: 'ok' }];
      },
    };
    const fast: OverviewContributor = {
      source: 'github',
      contribute: async own => {
        await new Promise(r => setTimeout(r, 900));
        for (const e of own.overview.environments) {
          e.summary = { ...e.summary, ci: { status: 'succeeded' } };
          e.stages = e.stages.map(st => ({ ...st, status: 'succeeded' }));
        }
        return [{ source: 'github', status: 'ok' }];
      },
    };
    const run = runContributors([slow, fast], s, options);
    await jest.advanceTimersByTimeAsync(1_000);
    const statuses = await run;
    expect(statuses).toEqual([
      {
        source: 'policy',
        status: 'error',
        message: "policy: no answer within the overview's time budget",
      },
      { source: 'github', status: 'ok' },
    ]);
    await jest.advanceTimersByTimeAsync(4_000);
    await lateWritten;
    for (const e of s.overview.environments) {
      expect(e.summary).toEqual({ ci: { status: 'succeeded' } });
      expect(e.stages).toEqual([{ name: 'ci', status: 'succeeded' }]);
    }
  });

  it('merges the summaries of several contributors and drops a failed one', async () => {
    const s = state();
    const slo: OverviewContributor = {
      source: 'prometheus',
      contribute: async own => {
        own.overview.environments[1].summary = {
          ...own.overview.environments[1].summary,
          slo: { status: 'ok' },
        };
        return [];
      },
    };
    const broken: OverviewContributor = {
      source: 'vulnerabilities',
      contribute: async own => {
        own.overview.environments[1].summary = {
          vulnerabilities: undefined as any,
        };
        throw new Error('scanner exploded');
      },
    };
    const statuses = await runContributors([slo, broken], s, options);
    expect(statuses).toEqual([
      {
        source: 'vulnerabilities',
        status: 'error',
        message: 'scanner exploded',
      },
    ]);
    expect(s.overview.environments[1].summary).toEqual({
      slo: { status: 'ok' },
    });
    expect(s.overview.environments[0].summary).toBeUndefined();
  });
});
