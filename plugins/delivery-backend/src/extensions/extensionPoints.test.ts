import { createBackendModule } from '@backstage/backend-plugin-api';
import { registerMswTestHooks } from '@backstage/backend-test-utils';
import {
  createGateKind,
  deliveryCiProvidersExtensionPoint,
  deliveryGateKindsExtensionPoint,
  deliveryMetricsProvidersExtensionPoint,
  deliveryOverviewExtensionPoint,
  deliveryScannersExtensionPoint,
  type DeliveryViewState,
  type ScanTarget,
  type SloQuery,
} from '@gitops-delivery/backstage-plugin-delivery-node';
import { http, passthrough } from 'msw';
import { setupServer } from 'msw/node';
import request from 'supertest';
import { fakeArgoCdHandlers } from '@gitops-delivery/backstage-plugin-delivery-node/testUtils';
import { startOverviewBackend } from '../__testUtils__/startOverviewBackend';
import { createWorld, ENTITIES } from '../__testUtils__/world';

// The world's checkout production rollout: canary 8566c77b97 runs
// ghcr.io/acme/checkout:1.4.0, stable 77f4f8ff97 runs 1.3.0.
const CANARY = '8566c77b97';
const STABLE = '77f4f8ff97';

jest.setTimeout(30_000);

const server = setupServer(
  http.all(/^http:\/\/127\.0\.0\.1:\d+\/api\/delivery\//, () => passthrough()),
);
registerMswTestHooks(server);

beforeEach(() => {
  server.use(...fakeArgoCdHandlers(createWorld(), []));
});

/** What the module's extensions were asked, per test. */
let asked: {
  scans: Array<Pick<ScanTarget, 'side' | 'podTemplateHash' | 'image'>>;
  slos: Array<Pick<SloQuery, 'side' | 'podTemplateHash' | 'service'>>;
  observed: DeliveryViewState[];
};
let observed: Promise<void>;
let onObserved: () => void;

beforeEach(() => {
  asked = { scans: [], slos: [], observed: [] };
  observed = new Promise(resolve => {
    onObserved = resolve;
  });
});

/** An adopter's module: one of each extension the issue asks for. */
const acmeModule = createBackendModule({
  pluginId: 'delivery',
  moduleId: 'acme',
  register(env) {
    env.registerInit({
      deps: {
        scanners: deliveryScannersExtensionPoint,
        gateKinds: deliveryGateKindsExtensionPoint,
        metrics: deliveryMetricsProvidersExtensionPoint,
        overview: deliveryOverviewExtensionPoint,
        ci: deliveryCiProvidersExtensionPoint,
      },
      async init({ scanners, gateKinds, metrics, overview, ci }) {
        ci.addCiProvider({
          id: 'acme-ci',
          projectOf: entity =>
            entity.entity.metadata.annotations?.['acme.io/ci-project'],
          missingProjectMessage: 'No acme.io/ci-project annotation',
          async runsForCommit(project, sha) {
            return [
              {
                id: 1,
                name: `${project} pipeline`,
                headSha: sha,
                status: 'completed',
                conclusion: 'success',
                url: `https://ci.acme.test/${project}/1`,
                jobs: [],
              },
            ];
          },
        });
        scanners.addScanner({
          id: 'grype',
          async scan(target) {
            asked.scans.push({
              side: target.side,
              podTemplateHash: target.podTemplateHash,
              image: target.image,
            });
            return {
              status: 'report',
              findings:
                target.side === 'canary'
                  ? [
                      {
                        id: 'CVE-2099-0001',
                        severity: 'CRITICAL',
                        packageName: 'libacme',
                        installedVersion: '1.0.0',
                        fixedVersion: '1.0.1',
                        fixable: true,
                        source: 'grype',
                      },
                    ]
                  : [],
            };
          },
        });
        gateKinds.addGateKind(
          createGateKind({
            kind: 'change-ticket',
            configSchema: z => ({ prefix: z.string().min(1) }),
            evaluate(gate, input) {
              const ticket =
                input.entity?.entity.metadata.annotations?.[
                  'acme.io/change-ticket'
                ];
              return ticket?.startsWith(gate.prefix)
                ? {
                    outcome: 'pass',
                    reason: `Change ticket ${ticket} is approved`,
                    evidence: [{ label: 'ticket', value: ticket }],
                  }
                : {
                    outcome: 'fail',
                    reason: `No ${gate.prefix} change ticket`,
                    evidence: [],
                  };
            },
          }),
        );
        metrics.addMetricsProvider({
          id: 'datadog',
          async querySlo(query) {
            asked.slos.push({
              side: query.side,
              podTemplateHash: query.podTemplateHash,
              service: query.service,
            });
            const value = query.side === 'canary' ? 0.0004 : 0.0002;
            return {
              current: value,
              series: query.withSeries ? [{ t: query.window.end, value }] : [],
            };
          },
        });
        overview.addContributor({
          source: 'acme-docs',
          async contribute() {
            return [{ source: 'acme-docs', status: 'ok' }];
          },
        });
        overview.addObserver(async state => {
          asked.observed.push(state);
          onObserved();
        });
      },
    });
  },
});

const DELIVERY = {
  slos: {
    'error-rate': {
      query:
        'sum:trace.http.errors{service:{{service}},version:{{podTemplateHash}}}',
      threshold: 0.001,
      provider: 'datadog',
    },
  },
  policies: {
    acme: {
      gates: [
        { kind: 'change-ticket', name: 'change-ticket', prefix: 'CHG-' },
        { kind: 'vulnerabilities', max: { CRITICAL: 0 } },
        { kind: 'slo', slo: 'error-rate' },
      ],
    },
  },
};

const ACME_ENTITIES = ENTITIES.map(e =>
  e.metadata.name === 'checkout'
    ? {
        ...e,
        metadata: {
          ...e.metadata,
          annotations: {
            ...e.metadata.annotations,
            'delivery.backstage.io/policy': 'acme',
            'acme.io/change-ticket': 'CHG-42',
            'acme.io/ci-project': 'checkout',
          },
        },
      }
    : e,
);

const start = (delivery: object = DELIVERY) =>
  startOverviewBackend(delivery, ACME_ENTITIES, [acmeModule]);

const route = (path: string) =>
  `/api/delivery/v1/entities/default/component/checkout/${path}`;

describe('a module on the Delivery extension points', () => {
  it('adds a scanner: told each side’s exact image, its findings on the vulnerabilities route', async () => {
    const app = await start();
    const res = await request(app).get(
      route('vulnerabilities?environment=production'),
    );
    expect(res.status).toBe(200);
    expect(asked.scans).toEqual(
      expect.arrayContaining([
        {
          side: 'canary',
          podTemplateHash: CANARY,
          image: { reference: 'ghcr.io/acme/checkout:1.4.0' },
        },
        {
          side: 'stable',
          podTemplateHash: STABLE,
          image: { reference: 'ghcr.io/acme/checkout:1.3.0' },
        },
      ]),
    );
    const rollout = res.body.rollouts[0];
    expect(rollout.canary.sources).toContainEqual({
      source: 'grype',
      status: 'ok',
    });
    expect(rollout.canary.counts.CRITICAL).toBe(1);
    expect(rollout.stable.counts.CRITICAL).toBe(0);
    expect(rollout.newInCanary.map((f: { id: string }) => f.id)).toEqual([
      'CVE-2099-0001',
    ]);
    expect(res.body.sources).toContainEqual({ source: 'grype', status: 'ok' });
  });

  it('adds a metrics provider that an SLO selects: its values on the metrics route', async () => {
    const app = await start();
    const res = await request(app).get(
      route('metrics?environment=production&range=1h'),
    );
    expect(res.status).toBe(200);
    const slo = res.body.rollouts[0].slos[0];
    expect(slo).toMatchObject({
      name: 'error-rate',
      canary: { podTemplateHash: CANARY, current: 0.0004 },
      stable: { podTemplateHash: STABLE, current: 0.0002 },
    });
    expect(res.body.sources).toContainEqual({
      source: 'datadog',
      status: 'ok',
    });
    // Prometheus answers no SLO, so it is not reported as missing
    expect(res.body.sources).not.toContainEqual(
      expect.objectContaining({ source: 'prometheus' }),
    );
    expect(asked.slos).toEqual(
      expect.arrayContaining([
        { side: 'canary', podTemplateHash: CANARY, service: 'checkout' },
        { side: 'stable', podTemplateHash: STABLE, service: 'checkout' },
      ]),
    );
  });

  it('adds a gate kind: evaluated with the scanner’s and provider’s results on the policy route', async () => {
    const app = await start();
    const res = await request(app).get(route('policy?environment=production'));
    expect(res.status).toBe(200);
    const [evaluation] = res.body.evaluations;
    expect(evaluation.policy).toBe('acme');
    expect(evaluation.gates).toEqual([
      expect.objectContaining({
        name: 'change-ticket',
        kind: 'change-ticket',
        outcome: 'pass',
        reason: 'Change ticket CHG-42 is approved',
      }),
      // the module's scanner found a CRITICAL in the canary
      expect.objectContaining({ kind: 'vulnerabilities', outcome: 'fail' }),
      // the module's provider measured the canary's error rate
      expect.objectContaining({ kind: 'slo', outcome: 'pass' }),
    ]);
    expect(evaluation.allowed).toBe(false);
  });

  it('adds an overview contributor, an observer and a CI provider, next to the built-ins', async () => {
    const app = await start();
    const res = await request(app).get(route('overview'));
    expect(res.status).toBe(200);
    expect(res.body.sources).toContainEqual({
      source: 'acme-docs',
      status: 'ok',
    });
    const production = res.body.environments.find(
      (e: { name: string }) => e.name === 'production',
    );
    expect(production.summary.vulnerabilities.counts.CRITICAL).toBe(1);
    // the CI stage from the module's CI provider (no GitHub slug on it)
    expect(res.body.sources).toContainEqual({
      source: 'acme-ci',
      status: 'ok',
    });
    expect(
      production.stages.find((st: { name: string }) => st.name === 'ci'),
    ).toMatchObject({
      status: 'succeeded',
      links: [
        { title: 'checkout pipeline', url: 'https://ci.acme.test/checkout/1' },
      ],
    });
    // the SLO summary comes from the module's provider
    expect(production.summary.slo).toEqual({
      status: 'ok',
      worst: { name: 'error-rate', value: 0.0004, threshold: 0.001 },
    });
    await observed;
    expect(asked.observed[0].entity.entityRef).toBe(
      'component:default/checkout',
    );
    expect(asked.observed[0].overview.environments.map(e => e.name)).toContain(
      'production',
    );
  });

  it('fails start-up on a bad config of a module’s gate kind, naming the key', async () => {
    await expect(
      start({
        ...DELIVERY,
        policies: { acme: { gates: [{ kind: 'change-ticket', prefix: 7 }] } },
      }),
    ).rejects.toThrow(
      /delivery\.policies\.acme\.gates\[0\]\.prefix: Expected string/,
    );
  });

  it('fails start-up when an SLO names a provider no module registered', async () => {
    await expect(
      start({
        slos: {
          'error-rate': { query: 'x', threshold: 1, provider: 'newrelic' },
        },
      }),
    ).rejects.toThrow(
      /delivery\.slos\.error-rate\.provider: no metrics provider "newrelic" is registered \(registered: prometheus, datadog\)/,
    );
  });
});
