import { mockServices } from '@backstage/backend-test-utils';
import type {
  SecurityLayerView,
  VulnerabilityFinding,
} from '@gitops-delivery/backstage-plugin-delivery-common';
import type {
  DeliveryEntityInfo,
  DeliveryScanner,
  ScanTarget,
} from '@gitops-delivery/backstage-plugin-delivery-node';
import {
  createVulnerabilitiesService,
  type RolloutScanTarget,
} from './VulnerabilitiesService';
import { worstLayer } from './securityLayers';

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
    stablePodHash: 'st4bl3',
    canaryImages: ['ghcr.io/acme/shop:1.5.0'],
    stableImages: ['ghcr.io/acme/shop:1.4.0'],
    fullyPromoted: false,
  },
  treeNodes: [],
  readResource: async () => ({}),
  revisions: { canary: 'a'.repeat(40), stable: 'b'.repeat(40) },
};

const finding = (
  id: string,
  severity: VulnerabilityFinding['severity'],
  packageName = 'shop/shop',
): VulnerabilityFinding => ({
  id,
  severity,
  packageName,
  fixable: false,
  source: 'test',
});

/** A scanner answering per side from a table. */
function scanner(
  id: string,
  layer: DeliveryScanner['layer'],
  answer: (target: ScanTarget) => ReturnType<DeliveryScanner['scan']>,
): DeliveryScanner {
  return { id, layer, scan: answer };
}

const layer = (views: SecurityLayerView[] | undefined, name: string) =>
  views?.find(v => v.layer === name);

describe('security layers of the vulnerabilities response', () => {
  it('groups each scanner under its layer with state, counts and the canary delta', async () => {
    const seen: ScanTarget[] = [];
    const service = createVulnerabilitiesService({
      logger: mockServices.logger.mock(),
      scanners: [
        scanner('image-scan', undefined, async () => ({
          status: 'report',
          findings: [finding('CVE-1', 'LOW', 'openssl')],
        })),
        scanner('falco', 'runtime', async target => {
          seen.push(target);
          return target.side === 'canary'
            ? {
                status: 'report',
                findings: [
                  finding('Terminal shell in container', 'CRITICAL'),
                  finding('Read sensitive file', 'MEDIUM'),
                ],
                links: [{ title: 'Falco', url: 'https://falco.example' }],
              }
            : {
                status: 'report',
                findings: [finding('Read sensitive file', 'MEDIUM')],
              };
        }),
        scanner('checkov', 'iac', async () => ({
          status: 'report',
          findings: [],
        })),
        scanner('dependabot', 'sca', async () => {
          throw new Error('GitHub answered 503');
        }),
      ],
    });
    const response = await service.getVulnerabilities({
      entity,
      environment: 'production',
      rollouts: [rollout],
    });

    // the image layer is what it was: only image scanners feed the image
    expect(response.rollouts[0].canary?.findings.map(f => f.id)).toEqual([
      'CVE-1',
    ]);
    expect(response.layers?.map(l => [l.layer, l.state])).toEqual([
      ['sast', 'unknown'],
      ['sca', 'source-error'],
      ['image', 'findings'],
      ['runtime', 'findings'],
      ['iac', 'clean'],
    ]);
    const runtime = layer(response.layers, 'runtime')!;
    expect(runtime.counts).toMatchObject({ CRITICAL: 1, MEDIUM: 1 });
    expect(runtime.stableCounts).toMatchObject({ CRITICAL: 0, MEDIUM: 1 });
    expect(runtime.newInCanaryCounts).toMatchObject({
      CRITICAL: 1,
      MEDIUM: 0,
    });
    expect(runtime.newInCanary.map(f => f.id)).toEqual([
      'Terminal shell in container',
    ]);
    expect(runtime.findings.every(f => f.layer === 'runtime')).toBe(true);
    expect(runtime.links).toEqual([
      { title: 'Falco', url: 'https://falco.example' },
    ]);
    expect(layer(response.layers, 'sast')?.message).toBe(
      'No sast source is configured',
    );
    expect(layer(response.layers, 'sca')?.message).toBe(
      'dependabot: GitHub answered 503',
    );
    // the per-rollout layers are there too, and every scanner is a source
    expect(response.rollouts[0].layers).toHaveLength(5);
    expect(response.sources.map(s => [s.source, s.status])).toEqual(
      expect.arrayContaining([
        ['falco', 'ok'],
        ['dependabot', 'error'],
      ]),
    );
    // each side is scanned with its own pod template hash and commit
    expect(seen.map(t => [t.side, t.podTemplateHash, t.revision])).toEqual(
      expect.arrayContaining([
        ['canary', 'c4n4ry', 'a'.repeat(40)],
        ['stable', 'st4bl3', 'b'.repeat(40)],
      ]),
    );
  });

  it('is unknown, not clean, when the layer has sources but no report', async () => {
    const service = createVulnerabilitiesService({
      logger: mockServices.logger.mock(),
      scanners: [
        scanner('falco', 'runtime', async () => ({
          status: 'no-report',
          message: 'No Falco events metric in Prometheus',
        })),
      ],
    });
    const response = await service.getVulnerabilities({
      entity,
      environment: 'production',
      rollouts: [rollout],
    });
    expect(layer(response.layers, 'runtime')).toMatchObject({
      state: 'unknown',
      message: 'falco: No Falco events metric in Prometheus',
    });
  });

  it('sums two rollouts and keeps the worse state', async () => {
    const service = createVulnerabilitiesService({
      logger: mockServices.logger.mock(),
      scanners: [
        scanner('falco', 'runtime', async target =>
          target.rollout.name === 'worker'
            ? { status: 'report', findings: [finding('Shell', 'HIGH')] }
            : { status: 'report', findings: [] },
        ),
      ],
    });
    const worker = {
      ...rollout,
      view: { ...rollout.view, name: 'worker' },
    };
    const response = await service.getVulnerabilities({
      entity,
      environment: 'production',
      rollouts: [rollout, worker],
    });
    expect(layer(response.layers, 'runtime')).toMatchObject({
      state: 'findings',
      counts: expect.objectContaining({ HIGH: 1 }),
    });
    expect(
      response.rollouts.map(r => layer(r.layers, 'runtime')?.state),
    ).toEqual(['clean', 'findings']);
  });

  it('names the worst configured layer for the overview', async () => {
    const service = createVulnerabilitiesService({
      logger: mockServices.logger.mock(),
      scanners: [
        scanner('trivy', undefined, async () => ({
          status: 'report',
          findings: [finding('CVE-2', 'HIGH', 'zlib')],
        })),
        scanner('falco', 'runtime', async () => ({
          status: 'report',
          findings: [finding('Shell', 'CRITICAL')],
        })),
        scanner('checkov', 'iac', async () => {
          throw new Error('down');
        }),
      ],
    });
    const summary = await service.summarize({
      entity,
      environment: 'production',
      rollouts: [rollout],
    });
    expect(worstLayer(summary.layers)?.layer).toBe('runtime');
    // an error is worse than nothing found, not worse than findings
    expect(
      worstLayer(
        summary.layers.filter(
          l => l.layer !== 'runtime' && l.layer !== 'image',
        ),
      )?.layer,
    ).toBe('iac');
    // a layer without any source is never the worst
    expect(worstLayer(summary.layers.filter(l => l.layer === 'sast'))).toBe(
      undefined,
    );
  });
});
