import { mockServices } from '@backstage/backend-test-utils';
import type {
  DeliveryEntityInfo,
  DeliveryScanner,
  ScanResult,
} from '@gitops-delivery/backstage-plugin-delivery-node';
import { createSignalCache } from '../signals/SignalCache';
import type { GithubSecurityClient } from './github/GithubSecurityClient';
import { createDependabotScanner } from './github/githubSecurityScanners';
import {
  createVulnerabilitiesService,
  type RolloutScanTarget,
} from './VulnerabilitiesService';

const entity: DeliveryEntityInfo = {
  entityRef: 'component:default/shop',
  entity: { metadata: { annotations: {} } },
  annotations: { instances: [], projects: [] },
};

const rollout: RolloutScanTarget = {
  view: {
    instance: 'main',
    application: 'shop-production',
    namespace: 'shop',
    name: 'shop',
    canaryPodHash: 'c4n4ry',
    stablePodHash: 'c4n4ry',
    canaryImages: ['ghcr.io/acme/shop:1.5.0'],
    stableImages: ['ghcr.io/acme/shop:1.5.0'],
    fullyPromoted: true,
  },
  treeNodes: [],
  readResource: async () => ({}),
  revisions: { stable: 'b'.repeat(40) },
};

/** A scan that answers when the test says so, and tells when it started. */
function pending() {
  let answer!: (result: ScanResult) => void;
  let started = false;
  const scan = () => {
    started = true;
    return new Promise<ScanResult>(resolve => {
      answer = resolve;
    });
  };
  return { scan, answer: (r: ScanResult) => answer(r), started: () => started };
}

describe('the scanners of one side', () => {
  it('start the other layers alongside the image scanners, and report each whatever order they answer in', async () => {
    const image = pending();
    const sast = pending();
    const runtime = pending();
    const scanners: DeliveryScanner[] = [
      { id: 'image-scan', scan: image.scan },
      { id: 'sast-scan', layer: 'sast', scan: sast.scan },
      { id: 'runtime-scan', layer: 'runtime', scan: runtime.scan },
    ];
    const service = createVulnerabilitiesService({
      logger: mockServices.logger.mock(),
      scanners,
    });
    const result = service.summarize({
      entity,
      environment: 'production',
      rollouts: [rollout],
    });
    await new Promise(resolve => setImmediate(resolve));
    // none of them waits for another: all three are asked at once
    expect([image.started(), sast.started(), runtime.started()]).toEqual([
      true,
      true,
      true,
    ]);
    // answered in the reverse order
    runtime.answer({ status: 'no-report' });
    sast.answer({ status: 'report', findings: [] });
    image.answer({ status: 'report', findings: [] });
    const { sources, layers } = await result;
    expect(sources.map(s => [s.source, s.status])).toEqual(
      expect.arrayContaining([
        ['image-scan', 'ok'],
        ['sast-scan', 'ok'],
        ['runtime-scan', 'ok'],
      ]),
    );
    expect(layers.map(l => [l.layer, l.sources.map(s => s.source)])).toEqual(
      expect.arrayContaining([
        ['image', ['image-scan']],
        ['sast', ['sast-scan']],
        ['runtime', ['runtime-scan']],
      ]),
    );
  });

  it('keeps the image scanners one after the other, each seeing the digest the earlier found', async () => {
    const first = pending();
    const seen: Array<string | undefined> = [];
    const service = createVulnerabilitiesService({
      logger: mockServices.logger.mock(),
      scanners: [
        { id: 'first', scan: first.scan },
        {
          id: 'second',
          scan: async target => {
            seen.push(target.image.digest);
            return { status: 'no-report' };
          },
        },
      ],
    });
    const result = service.summarize({
      entity,
      environment: 'production',
      rollouts: [rollout],
    });
    await new Promise(resolve => setImmediate(resolve));
    expect(seen).toEqual([]);
    first.answer({ status: 'report', findings: [], digest: 'sha256:abc' });
    await result;
    expect(seen).toEqual(['sha256:abc']);
  });
});

describe('the Dependabot scanner', () => {
  it("reads the commit's date while the alerts are read, not after", async () => {
    let answerAlerts!: (alerts: []) => void;
    const asked: string[] = [];
    const client = {
      dependabotAlerts: () => {
        asked.push('alerts');
        return new Promise<[]>(resolve => {
          answerAlerts = resolve;
        });
      },
      commitDate: async () => {
        asked.push('commit date');
        return '2026-11-27T09:00:00Z';
      },
      repositoryUrl: (slug: string) => `https://github.com/${slug}`,
    } as unknown as GithubSecurityClient;
    const scanner = createDependabotScanner(client, createSignalCache());
    const result = scanner.scan({
      entity: {
        ...entity,
        annotations: { ...entity.annotations, githubProjectSlug: 'acme/shop' },
      },
      revision: 'b'.repeat(40),
    } as any);
    await new Promise(resolve => setImmediate(resolve));
    expect(asked).toEqual(['alerts', 'commit date']);
    answerAlerts([]);
    expect(await result).toEqual(expect.objectContaining({ status: 'report' }));
  });
});
