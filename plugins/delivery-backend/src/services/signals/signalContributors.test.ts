import type {
  CiRunView,
  DeliveryOverview,
  PipelineStage,
} from '@gitops-delivery/backstage-plugin-delivery-common';
import type { DeliveryState } from '../overview/OverviewService';
import { createCiContributor, githubCiProvider } from './signalContributors';

const SHA = 'c1b2c3d4e5f60718293a4b5c6d7e8f9012345678';

function state(slug?: string, revision: string = SHA): DeliveryState {
  const stages: PipelineStage[] = [
    { name: 'commit', status: 'succeeded', revision, links: [] },
    {
      name: 'ci',
      status: 'not-configured',
      message: 'No CI source configured',
      revision,
      links: [],
    },
  ];
  const overview = {
    entityRef: 'component:default/checkout',
    environments: [
      { name: 'production', applications: [], rollouts: [], stages },
    ],
  } as unknown as DeliveryOverview;
  return {
    entity: {
      annotations: { githubProjectSlug: slug, instances: [], projects: [] },
    },
    overview,
    applications: [],
    rollouts: [],
  } as unknown as DeliveryState;
}

const context = { credentials: {} as any, deadline: Date.now() + 1000 };

const runs: CiRunView[] = [
  {
    id: 7,
    name: 'ci',
    headSha: SHA,
    status: 'completed',
    conclusion: 'failure',
    url: 'https://github.com/acme/checkout/actions/runs/7',
    jobs: [
      {
        name: 'Trivy image scan',
        kind: 'image-scan',
        status: 'completed',
        conclusion: 'failure',
      },
    ],
  },
];

describe('createCiContributor', () => {
  it('fills the CI stage and summary of the deployed commit', async () => {
    const calls: string[] = [];
    const s = state('acme/checkout');
    const sources = await createCiContributor([
      githubCiProvider(async (slug, sha) => {
        calls.push(`${slug}@${sha}`);
        return runs;
      }),
    ]).contribute(s, context);
    expect(calls).toEqual([`acme/checkout@${SHA}`]);
    expect(sources).toEqual([{ source: 'github', status: 'ok' }]);
    const env = s.overview.environments[0];
    expect(env.summary?.ci).toEqual({
      status: 'failed',
      conclusion: 'failure',
      url: 'https://github.com/acme/checkout/actions/runs/7',
      runs,
    });
    expect(env.stages[1]).toMatchObject({
      name: 'ci',
      status: 'failed',
      message: 'ci: failure in Trivy image scan (image-scan)',
      links: [
        { title: 'ci', url: 'https://github.com/acme/checkout/actions/runs/7' },
      ],
    });
  });

  it('reports a GitHub failure on the stage and as the source status', async () => {
    const s = state('acme/checkout');
    const sources = await createCiContributor([
      githubCiProvider(async () => {
        throw new Error('GitHub refused the configured credentials (HTTP 401)');
      }),
    ]).contribute(s, context);
    expect(sources).toEqual([
      {
        source: 'github',
        status: 'error',
        message: 'GitHub refused the configured credentials (HTTP 401)',
      },
    ]);
    expect(s.overview.environments[0].stages[1].status).toBe('unknown');
  });

  it('says why there is no CI without a slug, and skips non-git revisions', async () => {
    const lookup = jest.fn();
    expect(
      await createCiContributor([githubCiProvider(lookup)]).contribute(
        state(undefined),
        context,
      ),
    ).toEqual([
      {
        source: 'github',
        status: 'not-configured',
        message: 'The entity has no github.com/project-slug annotation',
      },
    ]);
    expect(
      await createCiContributor([githubCiProvider(lookup)]).contribute(
        state('acme/checkout', '1.2.3'),
        context,
      ),
    ).toEqual([]);
    expect(lookup).not.toHaveBeenCalled();
  });
});
