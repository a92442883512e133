import { ConfigReader } from '@backstage/config';
import { BUILT_IN_EXTENSION_IDS } from '../../../extensions/builtInExtensionIds';
import type { ScanTarget } from '@gitops-delivery/backstage-plugin-delivery-node';
import type { PrometheusClient } from '../../prometheus/PrometheusClient';
import type { SignalCache } from '../../signals/SignalCache';
import { readVulnerabilitiesConfig } from '../vulnerabilitiesConfig';
import {
  createFalcoScanner,
  falcoFindings,
  falcoQuery,
  falcoSeverity,
  type FalcoConfig,
} from './falcoScanner';

const noCache: SignalCache = {
  getOrLoad: (_key, _ttl, load) => load(),
} as SignalCache;

const target = {
  side: 'canary',
  podTemplateHash: '7d5979db69',
  rollout: {
    instance: 'main',
    application: 'checkout-production',
    namespace: 'checkout',
    name: 'checkout',
  },
} as ScanTarget;

const config: FalcoConfig = {
  metric: 'falcosecurity_falcosidekick_falco_events_total',
  windowMinutes: 10,
};

const instance = {
  name: 'prom',
  url: 'http://prometheus:9090',
  headers: {},
  timeoutMs: 1000,
  argocdInstances: [],
};

describe('Falco runtime scanner', () => {
  it.each([
    ['Emergency', 'CRITICAL'],
    ['Alert', 'CRITICAL'],
    ['Critical', 'CRITICAL'],
    ['critical', 'CRITICAL'],
    ['Error', 'HIGH'],
    ['Warning', 'MEDIUM'],
    ['Notice', 'LOW'],
    ['Informational', 'LOW'],
    ['Debug', 'LOW'],
    // falco-exporter labels the priority's number
    ['0', 'CRITICAL'],
    ['2', 'CRITICAL'],
    ['3', 'HIGH'],
    ['4', 'MEDIUM'],
    ['5', 'LOW'],
    ['7', 'LOW'],
    ['Bogus', 'UNKNOWN'],
    [undefined, 'UNKNOWN'],
  ])('maps priority %s to %s', (priority, severity) => {
    expect(falcoSeverity(priority)).toBe(severity);
  });

  it("selects the side's Pods by their pod template hash, exactly over the window", () => {
    expect(
      falcoQuery(config.metric, 'checkout', 'checkout', '7d5979db69', 600),
    ).toBe(
      'sum by (rule, priority, k8s_pod_name) (' +
        'falcosecurity_falcosidekick_falco_events_total{k8s_ns_name="checkout",k8s_pod_name=~"checkout-7d5979db69-[a-z0-9]+"}' +
        ' - (falcosecurity_falcosidekick_falco_events_total{k8s_ns_name="checkout",k8s_pod_name=~"checkout-7d5979db69-[a-z0-9]+"} offset 600s' +
        ' or falcosecurity_falcosidekick_falco_events_total{k8s_ns_name="checkout",k8s_pod_name=~"checkout-7d5979db69-[a-z0-9]+"} * 0)) > 0',
    );
  });

  it('refuses names that would change the query', () => {
    expect(() =>
      falcoQuery(config.metric, 'checkout"}', 'checkout', 'abc', 600),
    ).toThrow('Invalid namespace or Rollout name');
    expect(() =>
      falcoQuery(config.metric, 'checkout', 'checkout', 'a|b', 600),
    ).toThrow('Invalid pod template hash');
    expect(() =>
      falcoQuery('up or vector(1)', 'checkout', 'checkout', 'abc', 600),
    ).toThrow('is not a metric name');
  });

  it('makes one finding per rule and severity, with its Pods and events', () => {
    const findings = falcoFindings(
      {
        resultType: 'vector',
        samples: [
          {
            metric: {
              rule: 'Terminal shell in container',
              priority: 'Notice',
              k8s_pod_name: 'checkout-7d5979db69-b',
            },
            t: 1,
            value: 2,
          },
          {
            metric: {
              rule: 'Terminal shell in container',
              priority: 'Notice',
              k8s_pod_name: 'checkout-7d5979db69-a',
            },
            t: 1,
            value: 1,
          },
          {
            metric: { rule: 'x', priority: 'Critical', k8s_pod_name: 'p' },
            t: 1,
            value: NaN,
          },
        ],
      },
      target,
    );
    expect(findings).toEqual([
      {
        id: 'Terminal shell in container',
        title: 'Terminal shell in container',
        severity: 'LOW',
        packageName: 'checkout/checkout',
        location: 'checkout-7d5979db69-a, checkout-7d5979db69-b',
        occurrences: 3,
        fixable: false,
        source: 'falco',
        layer: 'runtime',
      },
    ]);
  });

  it('asks the Prometheus instance that watches the Argo CD instance, or says none does', async () => {
    const queries: string[] = [];
    const client: PrometheusClient = {
      instance: 'prom',
      query: async q => {
        queries.push(q);
        return { resultType: 'vector', samples: [] };
      },
      queryRange: async () => [],
    };
    const scanner = createFalcoScanner({
      config,
      instances: [{ ...instance, argocdInstances: ['other'] }],
      clientFor: () => client,
      cache: noCache,
    });
    expect(scanner.layer).toBe('runtime');
    expect(await scanner.scan(target)).toEqual({
      status: 'not-configured',
      message: 'No Prometheus instance watches Argo CD instance main',
    });
    const watching = createFalcoScanner({
      config: { ...config, presenceQuery: 'up{job="falcosidekick"}' },
      instances: [instance],
      clientFor: () => client,
      cache: noCache,
    });
    // nothing found and Falco not reporting: no evidence of a clean runtime
    expect(await watching.scan(target)).toEqual({
      status: 'no-report',
      message:
        'Falco is not reporting to Prometheus "prom" (its presence query returned nothing)',
    });
    expect(queries).toHaveLength(2);
    expect(queries[1]).toBe('up{job="falcosidekick"}');
  });

  it('reserves the built-in security scanners’ ids, which a module cannot take', () => {
    expect(BUILT_IN_EXTENSION_IDS.scanners).toEqual(
      expect.arrayContaining(['falco', 'trivy-operator-config']),
    );
  });

  it('reads delivery.falco, with Falcosidekick defaults and checked values', () => {
    const read = (falco: object) =>
      readVulnerabilitiesConfig(new ConfigReader({ delivery: { falco } }))
        .falco;
    expect(read({})).toEqual({
      metric: 'falcosecurity_falcosidekick_falco_events_total',
      windowMinutes: 10,
      prometheus: undefined,
      presenceQuery: undefined,
    });
    expect(read({ enabled: false })).toBeUndefined();
    expect(
      readVulnerabilitiesConfig(new ConfigReader({ delivery: {} })).falco,
    ).toBeUndefined();
    expect(read({ metric: 'falco_events', windowMinutes: 30 })).toMatchObject({
      metric: 'falco_events',
      windowMinutes: 30,
    });
    expect(() => read({ metric: 'falco events' })).toThrow(
      'delivery.falco.metric must be a Prometheus metric name',
    );
    expect(() => read({ windowMinutes: 0 })).toThrow(
      'delivery.falco.windowMinutes must be between 1 and 1440',
    );
    expect(() => read({ url: 'ftp://falco.example' })).toThrow(
      'delivery.falco.url must start with http:// or https://',
    );
  });
});
