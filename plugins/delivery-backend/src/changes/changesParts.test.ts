import type { VulnerabilityFinding } from '@gitops-delivery/backstage-plugin-delivery-common';
import { createSecretRedactor } from '@gitops-delivery/backstage-plugin-delivery-node';
import { ScmIntegrations } from '@backstage/integration';
import { ConfigReader } from '@backstage/config';
import { createGithubCompare, githubRepository } from './githubCompare';
import { imageChanges, imageVersion, imagesOf } from './manifestChanges';
import type { ResolvedSide } from './resolveSide';
import { vulnerabilityDelta } from './vulnerabilityDelta';

const finding = (
  id: string,
  severity: 'HIGH' | 'LOW',
): VulnerabilityFinding => ({
  id,
  severity,
  packageName: 'openssl',
  fixable: true,
  source: 'trivy',
});
const counts = (high: number, low: number) => ({
  CRITICAL: 0,
  HIGH: high,
  MEDIUM: 0,
  LOW: low,
  UNKNOWN: 0,
});
const side = (selector: string): ResolvedSide =>
  ({
    selector,
    environment: selector,
    instance: 'main',
    application: `checkout-${selector}`,
    app: { destination: { namespace: 'checkout' } },
  } as unknown as ResolvedSide);

describe('vulnerabilityDelta', () => {
  it('scans the promoted image as the canary against the baseline and names what is introduced and fixed', async () => {
    const scan = jest.fn(async () => ({
      entityRef: 'component:default/checkout',
      environment: 'staging',
      sources: [{ source: 'trivy', status: 'ok' as const }],
      rollouts: [
        {
          instance: 'main',
          application: 'checkout-staging',
          namespace: 'checkout',
          rollout: 'ghcr.io/acme/checkout',
          canary: {
            image: 'ghcr.io/acme/checkout:1.5.0',
            digest: `sha256:${'b'.repeat(64)}`,
            counts: counts(1, 1),
            fixableCounts: counts(1, 1),
            findings: [finding('CVE-NEW', 'HIGH'), finding('CVE-KEPT', 'LOW')],
            sources: [],
          },
          stable: {
            image: 'ghcr.io/acme/checkout:1.4.0',
            counts: counts(1, 1),
            fixableCounts: counts(1, 1),
            findings: [finding('CVE-OLD', 'HIGH'), finding('CVE-KEPT', 'LOW')],
            sources: [],
          },
          newInCanary: [finding('CVE-NEW', 'HIGH')],
        },
      ],
    }));
    const digests: Record<string, string> = {};
    const delta = await vulnerabilityDelta({
      scan,
      entity: {} as any,
      from: side('dev'),
      to: side('staging'),
      images: [
        {
          repository: 'ghcr.io/acme/checkout',
          before: { reference: 'ghcr.io/acme/checkout:1.4.0' },
          after: { reference: 'ghcr.io/acme/checkout:1.5.0' },
        },
      ],
      onDigest: (ref, digest) => {
        digests[ref] = digest;
      },
    });
    const [request] = scan.mock.calls[0] as any[];
    expect(request.rollouts[0]).toMatchObject({
      canaryImages: ['ghcr.io/acme/checkout:1.5.0'],
      stableImages: ['ghcr.io/acme/checkout:1.4.0'],
      fullyPromoted: false,
    });
    expect(delta.introduced.map(f => f.id)).toEqual(['CVE-NEW']);
    expect(delta.fixed.map(f => f.id)).toEqual(['CVE-OLD']);
    expect(delta.after).toEqual(counts(1, 1));
    expect(digests).toEqual({
      'ghcr.io/acme/checkout:1.5.0': `sha256:${'b'.repeat(64)}`,
    });
  });

  it('names the scan error without failing the rest', async () => {
    const delta = await vulnerabilityDelta({
      scan: async () => {
        throw new Error('scanner down');
      },
      entity: {} as any,
      from: side('dev'),
      to: side('staging'),
      images: [{ repository: 'r', after: { reference: 'r:2' } }],
    });
    expect(delta).toMatchObject({ state: 'error', error: 'scanner down' });
  });
});

describe('images', () => {
  it('splits references and lists the images that change by repository', () => {
    expect(imageVersion(`ghcr.io/acme/a:1.2@sha256:${'a'.repeat(64)}`)).toEqual(
      {
        repository: 'ghcr.io/acme/a',
        version: {
          reference: `ghcr.io/acme/a:1.2@sha256:${'a'.repeat(64)}`,
          tag: '1.2',
          digest: `sha256:${'a'.repeat(64)}`,
        },
      },
    );
    expect(imageVersion('localhost:5000/a').version).toEqual({
      reference: 'localhost:5000/a',
    });
    expect(
      imageChanges(['r/a:1', 'r/b:1', 'r/c:1'], ['r/a:2', 'r/b:1', 'r/d:1']),
    ).toEqual([
      {
        repository: 'r/a',
        before: { reference: 'r/a:1', tag: '1' },
        after: { reference: 'r/a:2', tag: '2' },
      },
      { repository: 'r/c', before: { reference: 'r/c:1', tag: '1' } },
      { repository: 'r/d', after: { reference: 'r/d:1', tag: '1' } },
    ]);
    expect(
      imagesOf([
        {
          spec: {
            template: {
              spec: {
                initContainers: [{ image: 'init:1' }],
                containers: [{ image: 'app:1' }],
              },
            },
          },
        },
      ]),
    ).toEqual(['init:1', 'app:1']);
  });
});

describe('githubCompare', () => {
  it('reads GitHub repository URLs', () => {
    expect(githubRepository('https://github.com/acme/shop.git')).toEqual({
      host: 'github.com',
      owner: 'acme',
      repo: 'shop',
    });
    expect(githubRepository('git@github.com:acme/shop.git')?.repo).toBe('shop');
    expect(githubRepository('https://gitlab.com/a/b/c')).toBeUndefined();
  });

  it('links the pull request of a merge or squash commit, newest commit first', async () => {
    const integrations = ScmIntegrations.fromConfig(
      new ConfigReader({
        integrations: {
          github: [{ host: 'ghe.test', apiBaseUrl: 'https://ghe.test/api/v3' }],
        },
      }),
    );
    const compare = createGithubCompare({
      integrations,
      credentialsProvider: {
        getCredentials: async () => ({ type: 'token', headers: {} }),
      } as any,
      timeoutMs: 1000,
      redactor: createSecretRedactor(),
      fetch: (async (url: string) => {
        expect(url).toBe(
          'https://ghe.test/api/v3/repos/acme/shop/compare/aaa...bbb?per_page=100',
        );
        return new Response(
          JSON.stringify({
            status: 'ahead',
            ahead_by: 2,
            commits: [
              {
                sha: '1',
                commit: {
                  message: 'Merge pull request #7 from x/y\n\nbody',
                  author: { name: 'A' },
                },
              },
              {
                sha: '2',
                commit: { message: 'fix: thing (#9)', author: { name: 'B' } },
              },
            ],
          }),
          { status: 200, headers: { 'content-type': 'application/json' } },
        );
      }) as any,
    });
    const result = await compare('https://ghe.test/acme/shop', 'aaa', 'bbb');
    expect(result.items).toEqual([
      {
        sha: '2',
        message: 'fix: thing (#9)',
        author: 'B',
        pullRequest: { number: 9, url: 'https://ghe.test/acme/shop/pull/9' },
      },
      {
        sha: '1',
        message: 'Merge pull request #7 from x/y',
        author: 'A',
        pullRequest: { number: 7, url: 'https://ghe.test/acme/shop/pull/7' },
      },
    ]);
    expect(await compare('https://other.test/a/b', 'a', 'b')).toMatchObject({
      state: 'not-configured',
    });
  });
});
