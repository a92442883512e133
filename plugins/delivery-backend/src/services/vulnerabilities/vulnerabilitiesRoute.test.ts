import { specViolations } from '../../__testUtils__/specViolations';
import { registerMswTestHooks } from '@backstage/backend-test-utils';
import type { VulnerabilitiesResponse } from '@gitops-delivery/backstage-plugin-delivery-common';
import { delay, http, HttpResponse, passthrough } from 'msw';
import { setupServer } from 'msw/node';
import request from 'supertest';
import { fakeArgoCdHandlers } from '@gitops-delivery/backstage-plugin-delivery-node/testUtils';
import {
  resourceKey,
  type ArgoCdWorldInstance,
} from '../../__testUtils__/argocdFixtures';
import {
  capturedLogLines,
  startOverviewBackend,
} from '../../__testUtils__/startOverviewBackend';
import { createWorld, SECRETS } from '../../__testUtils__/world';
import { ALPINE_DIGEST, readFixture } from './__testUtils__/fixtures';

// The world's checkout production rollout: canary 8566c77b97 runs
// ghcr.io/acme/checkout:1.4.0, stable 77f4f8ff97 runs 1.3.0.
const CANARY = '8566c77b97';
const STABLE = '77f4f8ff97';
const CANARY_DIGEST = `sha256:${'c'.repeat(64)}`;
const STABLE_DIGEST = `sha256:${'5'.repeat(64)}`;
const TRIVY = 'http://trivy.test/reports';
const SNYK = 'http://snyk.test/rest';
const SNYK_TOKEN = 'snyk-secret-token-4c2b';

// each test starts a backend: allow for a loaded machine
jest.setTimeout(30_000);

/** Violations of the route's OpenAPI response schema. */
const violations = (schema: string, body: unknown) =>
  specViolations(schema, body);

const server = setupServer(
  http.all(/^http:\/\/127\.0\.0\.1:\d+\/api\/delivery\//, () => passthrough()),
);
registerMswTestHooks(server);

const reportPath = (digest: string) =>
  new RegExp(`^${TRIVY}/${digest}\\.json$`.replace(/[/:]/g, c => `\\${c}`));

let world: Record<string, ArgoCdWorldInstance>;

/** Adds Pods (with pulled digests) and a Trivy Operator report to the tree. */
function addScansToWorld() {
  const main = world.main;
  const tree = main.trees!['checkout-production'];
  const rsRef = (hash: string) => ({
    group: 'apps',
    kind: 'ReplicaSet',
    namespace: 'checkout',
    name: `checkout-${hash}`,
  });
  for (const [hash, image, digest] of [
    [CANARY, 'ghcr.io/acme/checkout:1.4.0', CANARY_DIGEST],
    [STABLE, 'ghcr.io/acme/checkout:1.3.0', STABLE_DIGEST],
  ]) {
    const pod = `checkout-${hash}-x1`;
    tree.nodes!.push({
      version: 'v1',
      kind: 'Pod',
      namespace: 'checkout',
      name: pod,
      parentRefs: [rsRef(hash)],
    });
    main.resources![
      resourceKey('checkout-production', 'Pod', 'checkout', pod)
    ] = {
      kind: 'Pod',
      status: {
        containerStatuses: [
          {
            image,
            imageID: `docker-pullable://ghcr.io/acme/checkout@${digest}`,
          },
        ],
      },
    };
  }
  const report = readFixture(
    'trivy/vulnerabilityreport-replicaset-nginx-docs.yaml',
  );
  report.metadata.name = `replicaset-checkout-${CANARY}-checkout`;
  report.metadata.namespace = 'checkout';
  tree.nodes!.push({
    group: 'aquasecurity.github.io',
    version: 'v1alpha1',
    kind: 'VulnerabilityReport',
    namespace: 'checkout',
    name: report.metadata.name,
    parentRefs: [rsRef(CANARY)],
  });
  main.resources![
    resourceKey(
      'checkout-production',
      'VulnerabilityReport',
      'checkout',
      report.metadata.name,
    )
  ] = report;
}

function trivyStore() {
  const canaryReport = readFixture('trivy/trivy-image-debian-buster.json');
  canaryReport.Metadata.RepoDigests = [
    `ghcr.io/acme/checkout@${CANARY_DIGEST}`,
  ];
  return [
    http.get(reportPath(CANARY_DIGEST), () => HttpResponse.json(canaryReport)),
    // the store answers for the stable digest with another image's report
    http.get(reportPath(STABLE_DIGEST), () =>
      HttpResponse.json(
        readFixture('trivy/trivy-image-alpine-3.10.2-repodigests.json'),
      ),
    ),
  ];
}

function snykApi() {
  return [
    http.get(`${SNYK}/orgs/sandbox-org/projects`, ({ request: r }) => {
      const name = new URL(r.url).searchParams.get('names');
      return HttpResponse.json({
        data:
          name === 'ghcr.io/acme/checkout:1.4.0' ? [{ id: 'proj-canary' }] : [],
      });
    }),
    http.get(`${SNYK}/orgs/sandbox-org/issues`, ({ request: r }) => {
      const url = new URL(r.url);
      if (url.searchParams.get('starting_after')) {
        return HttpResponse.json(
          readFixture('snyk/rest-issues-single-vuln.json'),
        );
      }
      const page = readFixture('snyk/rest-issues-many-vuln.json');
      page.links.next =
        '/rest/orgs/sandbox-org/issues?version=2024-10-15&starting_after=abc';
      return HttpResponse.json(page);
    }),
  ];
}

const scanners = {
  trivy: { reportStoreUrl: TRIVY, timeoutMs: 500 },
  snyk: { url: SNYK, token: SNYK_TOKEN, orgId: 'sandbox-org', timeoutMs: 500 },
};

beforeEach(() => {
  world = createWorld();
  addScansToWorld();
  server.use(...fakeArgoCdHandlers(world, []), ...trivyStore(), ...snykApi());
});

async function vulnerabilities(query: string, delivery: object = scanners) {
  const app = await startOverviewBackend(delivery);
  return request(app).get(
    `/api/delivery/v1/entities/default/component/checkout/vulnerabilities${query}`,
  );
}

describe('GET /entities/:ref/vulnerabilities', () => {
  it('shows the findings of the canary and stable images from every source, and what is new in the canary', async () => {
    const res = await vulnerabilities('?environment=production');
    expect(res.status).toBe(200);
    const body: VulnerabilitiesResponse = res.body;
    expect(violations('VulnerabilitiesResponse', body)).toEqual([]);
    expect(violations('VulnerabilitiesResponse', body)).toEqual([]);
    expect(body.environment).toBe('production');
    const [rollout] = body.rollouts;
    expect(rollout.rollout).toBe('checkout');
    const canary = rollout.canary!;
    expect(canary.image).toBe('ghcr.io/acme/checkout:1.4.0');
    expect(canary.digest).toBe(CANARY_DIGEST);
    // trivy: CVE-2019-18224 CRITICAL + CVE-2019-18276 LOW; operator: 2 CRITICAL;
    // snyk: one open HIGH (three ignored, one resolved; page 2 ignored)
    expect(canary.counts).toEqual({
      CRITICAL: 3,
      HIGH: 1,
      MEDIUM: 0,
      LOW: 1,
      UNKNOWN: 0,
    });
    expect(canary.fixableCounts).toEqual({
      CRITICAL: 2,
      HIGH: 1,
      MEDIUM: 0,
      LOW: 0,
      UNKNOWN: 0,
    });
    expect(canary.findings.map(f => `${f.source}:${f.id}`)).toEqual([
      'trivy-operator:CVE-2018-25009',
      'trivy:CVE-2019-18224',
      'trivy-operator:CVE-2019-20367',
      'snyk:SNYK-PYTHON-PILLOW-6219984',
      'trivy:CVE-2019-18276',
    ]);
    expect(canary.sources).toEqual([
      { source: 'trivy-operator', status: 'ok' },
      { source: 'trivy', status: 'ok' },
      { source: 'snyk', status: 'ok' },
    ]);
    // the newest of the reports: Snyk's latest issue update
    expect(canary.reportCreatedAt).toBe('2025-09-21T07:05:28.644Z');
    expect(canary.reportFound).toBe(true);

    const stable = rollout.stable!;
    expect(stable.digest).toBe(STABLE_DIGEST);
    expect(stable.findings).toEqual([]);
    // answered, but no scanner has a report of it: no evidence either way
    expect(stable.reportFound).toBe(false);
    expect(stable.sources).toEqual([
      {
        source: 'trivy-operator',
        status: 'ok',
        message: `No VulnerabilityReport for ReplicaSet checkout-${STABLE}`,
      },
      {
        source: 'trivy',
        status: 'error',
        message: `Trivy report ignored: the report is for ${ALPINE_DIGEST}, not ${STABLE_DIGEST}`,
      },
      {
        source: 'snyk',
        status: 'ok',
        message: 'No Snyk project named ghcr.io/acme/checkout:1.3.0',
      },
    ]);
    expect(
      rollout.newInCanary.filter(f => f.severity === 'CRITICAL').map(f => f.id),
    ).toEqual(['CVE-2018-25009', 'CVE-2019-18224', 'CVE-2019-20367']);
    expect(body.sources).toEqual(
      expect.arrayContaining([
        { source: 'argocd', instance: 'main', status: 'ok' },
        {
          source: 'trivy',
          status: 'error',
          message: expect.stringContaining('Trivy report ignored'),
        },
        { source: 'trivy-operator', status: 'ok' },
        { source: 'snyk', status: 'ok' },
      ]),
    );
    expect(res.text).not.toContain(SNYK_TOKEN);
    expect(res.text).not.toContain(SECRETS.mainToken);
  });

  it('degrades one source on a Snyk 401 and a Trivy timeout, keeping the others', async () => {
    server.use(
      http.get(`${SNYK}/orgs/sandbox-org/projects`, () =>
        HttpResponse.json(
          { errors: [{ status: '401', detail: 'Unauthorized' }] },
          { status: 401 },
        ),
      ),
      http.get(reportPath(CANARY_DIGEST), async () => {
        await delay(2000);
        return HttpResponse.json({});
      }),
    );
    const res = await vulnerabilities('?environment=production');
    expect(res.status).toBe(200);
    const canary = (res.body as VulnerabilitiesResponse).rollouts[0].canary!;
    expect(canary.sources).toEqual([
      { source: 'trivy-operator', status: 'ok' },
      {
        source: 'trivy',
        status: 'error',
        message: 'Trivy report store: no answer within 500 ms',
      },
      {
        source: 'snyk',
        status: 'error',
        message: 'Snyk refused the configured token (HTTP 401)',
      },
    ]);
    expect(canary.counts.CRITICAL).toBe(2);
    expect(res.text).not.toContain(SNYK_TOKEN);
    expect(capturedLogLines.join('\n')).not.toContain(SNYK_TOKEN);
  });

  it('reports unconfigured scanners and still reads Trivy Operator reports', async () => {
    const res = await vulnerabilities('?environment=production', {});
    expect(res.status).toBe(200);
    const body: VulnerabilitiesResponse = res.body;
    expect(body.rollouts[0].canary!.counts.CRITICAL).toBe(2);
    expect(body.sources).toEqual(
      expect.arrayContaining([
        { source: 'trivy', status: 'not-configured' },
        { source: 'snyk', status: 'not-configured' },
      ]),
    );
  });

  it('puts the severity counts of the image being rolled out into the overview', async () => {
    const app = await startOverviewBackend(scanners);
    const res = await request(app).get(
      '/api/delivery/v1/entities/default/component/checkout/overview',
    );
    expect(res.status).toBe(200);
    const production = res.body.environments.find(
      (e: { name: string }) => e.name === 'production',
    );
    expect(production.summary.vulnerabilities).toEqual({
      counts: { CRITICAL: 3, HIGH: 1, MEDIUM: 0, LOW: 1, UNKNOWN: 0 },
      fixableCounts: { CRITICAL: 2, HIGH: 1, MEDIUM: 0, LOW: 0, UNKNOWN: 0 },
      // the worst security layer: the image's findings, with the Trivy
      // report that was ignored named
      worstLayer: {
        layer: 'image',
        state: 'findings',
        counts: { CRITICAL: 3, HIGH: 1, MEDIUM: 0, LOW: 1, UNKNOWN: 0 },
        message: expect.stringContaining('trivy: Trivy report ignored'),
      },
    });
  });

  it("evaluates the overview's policy summary on the same scans, with no Argo CD call of its own", async () => {
    type Call = Parameters<typeof fakeArgoCdHandlers>[1][number];
    const key = (c: Call) => `${c.method} ${c.path}${c.search}`;
    const overviewCalls = async (delivery: object) => {
      const calls: Call[] = [];
      server.use(...fakeArgoCdHandlers(world, calls));
      const app = await startOverviewBackend(delivery);
      const res = await request(app).get(
        '/api/delivery/v1/entities/default/component/checkout/overview',
      );
      expect(res.status).toBe(200);
      return { calls: calls.map(key).sort(), body: res.body };
    };
    // a policy that reads no signal, then the built-in one, which reads the scans
    const light = await overviewCalls({
      ...scanners,
      policies: { light: { gates: [{ kind: 'in-sync' }] } },
      defaultPolicy: 'light',
    });
    const full = await overviewCalls(scanners);
    expect(full.calls).toEqual(light.calls);
    const production = full.body.environments.find(
      (e: { name: string }) => e.name === 'production',
    );
    expect(production.summary.policy).toMatchObject({
      allowed: false,
      failing: expect.arrayContaining(['no-high-or-critical-cves']),
    });
    expect(production.summary.policy.failing).not.toContain('in-sync');
  });

  it.each([
    ['', 400, 'Invalid environment: is required'],
    [
      '?environment=prod%20uction',
      400,
      'Invalid environment: must be an environment name',
    ],
    [
      '?environment=a&environment=b',
      400,
      'Invalid environment: must be string',
    ],
    [
      '?environment=qa',
      404,
      'component:default/checkout has no environment "qa"; it has dev, staging, production',
    ],
  ])('answers %s with %d', async (query, status, message) => {
    const res = await vulnerabilities(query);
    expect(res.status).toBe(status);
    expect(res.body.error.message).toContain(message);
  });
});

describe('GET /entities/:ref/metrics input validation', () => {
  it.each([
    [
      '?environment=production&range=1w',
      'Invalid range: must be a duration such as 15m, 1h, 6h or 7d',
    ],
    [
      '?environment=production&range=60s',
      'Invalid range: must be at least 5 minutes',
    ],
    ['?range=1h', 'Invalid environment: is required'],
  ])('%s → 400', async (query, message) => {
    const app = await startOverviewBackend();
    const res = await request(app).get(
      `/api/delivery/v1/entities/default/component/checkout/metrics${query}`,
    );
    expect(res.status).toBe(400);
    expect(res.body.error.message).toBe(message);
  });

  it('reports Prometheus as not configured without failing', async () => {
    const app = await startOverviewBackend();
    const res = await request(app).get(
      '/api/delivery/v1/entities/default/component/checkout/metrics?environment=production',
    );
    expect(res.status).toBe(200);
    expect(violations('MetricsResponse', res.body)).toEqual([]);
    expect(res.body.sources).toContainEqual({
      source: 'prometheus',
      status: 'not-configured',
    });
    expect(res.body.rollouts[0].slos[0].canary).toEqual({
      podTemplateHash: CANARY,
      current: null,
      series: [],
      message: 'No Prometheus instance is configured',
    });
  });
});
