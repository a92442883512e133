import { ConfigReader } from '@backstage/config';
import { registerMswTestHooks } from '@backstage/backend-test-utils';
import type { ScanTarget } from '@gitops-delivery/backstage-plugin-delivery-node';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import type { SignalCache } from '../../signals/SignalCache';
import { readFixture } from '../__testUtils__/fixtures';
import { createSnykClient, type SnykConfig } from '../SnykClient';
import { readVulnerabilitiesConfig } from '../vulnerabilitiesConfig';
import { createSnykOpenSourceScanner } from './snykOpenSourceScanner';

const BASE = 'http://snyk.test/snyk/rest';
const server = setupServer();
registerMswTestHooks(server);

const config: SnykConfig = {
  url: BASE,
  token: 'super-secret-snyk-token',
  orgId: 'sandbox-org',
  apiVersion: '2024-10-15',
  timeoutMs: 1000,
  maxPages: 5,
};
const noCache: SignalCache = {
  getOrLoad: (_key, _ttl, load) => load(),
} as SignalCache;

function target(slug?: string): ScanTarget {
  return {
    entity: {
      entityRef: 'component:default/checkout',
      entity: { metadata: {} },
      annotations: (slug ? { githubProjectSlug: slug } : {}) as any,
    },
    environment: 'production',
    rollout: {
      instance: 'main',
      application: 'checkout',
      namespace: 'checkout',
      name: 'checkout',
    },
    side: 'canary',
    podTemplateHash: 'abc123',
    image: { reference: 'ghcr.io/acme/checkout:1.5.0' },
    sideImages: [],
    resolveDigest: async () => undefined,
    treeNodes: [],
    readResource: async () => undefined,
  };
}

describe('Snyk Open Source (SCA layer)', () => {
  it('reads the issues of the repository’s manifest projects as SCA findings', async () => {
    const names: string[] = [];
    server.use(
      http.get(`${BASE}/orgs/sandbox-org/projects`, ({ request }) => {
        const name = new URL(request.url).searchParams.get('names')!;
        names.push(name);
        return HttpResponse.json({
          data:
            name === 'acme/checkout:package.json'
              ? [{ id: 'proj-1', type: 'project' }]
              : [],
        });
      }),
      // the recorded REST issues page: 4 open package vulnerabilities, 1 resolved
      http.get(`${BASE}/orgs/sandbox-org/issues`, () =>
        HttpResponse.json(readFixture('snyk/rest-issues-many-vuln.json')),
      ),
    );
    const scanner = createSnykOpenSourceScanner(
      createSnykClient(config),
      config,
      { manifests: ['package.json', 'go.mod'] },
      noCache,
    );
    expect(scanner.layer).toBe('sca');
    const result = await scanner.scan(target('acme/checkout'));
    expect(names.sort()).toEqual([
      'acme/checkout:go.mod',
      'acme/checkout:package.json',
    ]);
    // of the recorded page, one open issue is not ignored (three are, one
    // is resolved)
    expect(result).toMatchObject({
      status: 'report',
      findings: [
        {
          id: 'SNYK-PYTHON-PILLOW-6219984',
          severity: 'HIGH',
          packageName: 'pillow',
          installedVersion: '9.5.0',
          fixable: true,
          source: 'snyk-open-source',
          layer: 'sca',
          location: 'package.json',
        },
      ],
    });
    expect((result as { message?: string }).message).toBe(
      "Snyk's latest snapshot of acme/checkout:package.json",
    );
  });

  it('is not configured without an organisation or a slug; no project is no report', async () => {
    server.use(
      http.get(`${BASE}/orgs/sandbox-org/projects`, () =>
        HttpResponse.json({ data: [] }),
      ),
    );
    const scanner = createSnykOpenSourceScanner(
      createSnykClient(config),
      config,
      { manifests: ['package.json'] },
      noCache,
    );
    expect(await scanner.scan(target())).toMatchObject({
      status: 'not-configured',
    });
    expect(
      await createSnykOpenSourceScanner(
        createSnykClient(config),
        { maxPages: 5 },
        { manifests: ['package.json'] },
        noCache,
      ).scan(target('acme/checkout')),
    ).toMatchObject({ status: 'not-configured' });
    expect(await scanner.scan(target('acme/checkout'))).toEqual({
      status: 'no-report',
      message: 'No Snyk project named acme/checkout:package.json',
    });
  });

  it('reads delivery.snyk.openSource (absent: off) and rejects a bad manifest', () => {
    const snyk = { token: 't', orgId: 'sandbox-org' };
    expect(
      readVulnerabilitiesConfig(new ConfigReader({ delivery: { snyk } }))
        .snykOpenSource,
    ).toBeUndefined();
    expect(
      readVulnerabilitiesConfig(
        new ConfigReader({ delivery: { snyk: { ...snyk, openSource: {} } } }),
      ).snykOpenSource,
    ).toEqual({ manifests: ['package.json'] });
    expect(() =>
      readVulnerabilitiesConfig(
        new ConfigReader({
          delivery: {
            snyk: { ...snyk, openSource: { manifests: ['../etc/passwd'] } },
          },
        }),
      ),
    ).toThrow('"../etc/passwd" is not a manifest path');
  });
});
