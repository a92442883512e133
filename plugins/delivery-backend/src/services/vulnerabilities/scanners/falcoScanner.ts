import type {
  Severity,
  VulnerabilityFinding,
} from '@gitops-delivery/backstage-plugin-delivery-common';
import type {
  DeliveryScanner,
  ScanTarget,
} from '@gitops-delivery/backstage-plugin-delivery-node';
import type {
  InstantQueryResult,
  PrometheusClient,
  PrometheusInstanceConfig,
} from '../../prometheus/PrometheusClient';
import { prometheusInstanceFor } from '../../prometheus/prometheusConfig';
import type { SignalCache } from '../../signals/SignalCache';

/** `delivery.falco`: runtime detections read from Prometheus. @public */
export interface FalcoConfig {
  /**
   * The counter of Falco events: Falcosidekick's
   * `falcosecurity_falcosidekick_falco_events_total` (default), or
   * falco-exporter's / older Falcosidekick's `falco_events`.
   */
  metric: string;
  /** The Prometheus instance to ask; default: the one watching the rollout's Argo CD instance. */
  prometheus?: string;
  /** How far back detections count (the soak), in minutes. Default 10. */
  windowMinutes: number;
  /**
   * Optional PromQL that returns a sample > 0 while Falco reports (e.g.
   * `up{job="falcosidekick"}`): without it, no events cannot be told from
   * no Falco.
   */
  presenceQuery?: string;
  /** A link for the runtime tile, e.g. Falcosidekick UI. */
  url?: string;
}

/** The counter Falcosidekick 2.x exposes, one series per rule, priority and pod. */
export const FALCOSIDEKICK_EVENTS_METRIC =
  'falcosecurity_falcosidekick_falco_events_total';

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const K8S_NAME = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;
const POD_HASH = /^[a-z0-9]{1,20}$/;

/**
 * Falco priority onto our severity: Emergency, Alert and Critical are
 * CRITICAL, Error HIGH, Warning MEDIUM, Notice and below LOW. Falcosidekick
 * labels the name (`Critical`); falco-exporter the number (0 Emergency ..
 * 7 Debug).
 */
export function falcoSeverity(priority: string | undefined): Severity {
  const p = (priority ?? '').trim().toLowerCase();
  switch (p) {
    case 'emergency':
    case 'alert':
    case 'critical':
    case '0':
    case '1':
    case '2':
      return 'CRITICAL';
    case 'error':
    case '3':
      return 'HIGH';
    case 'warning':
    case '4':
      return 'MEDIUM';
    case 'notice':
    case 'informational':
    case 'info':
    case 'debug':
    case '5':
    case '6':
    case '7':
      return 'LOW';
    default:
      return 'UNKNOWN';
  }
}

/**
 * The PromQL of one side's detections: events per rule, priority and pod
 * over the window. The counter's value now minus its value at the window's
 * start (0 for a series born inside the window, as a new Pod's are), so
 * the counts are exact where `increase()` would extrapolate and miss a
 * counter's first event.
 */
export function falcoQuery(
  metric: string,
  namespace: string,
  rollout: string,
  podTemplateHash: string,
  windowSeconds: number,
): string {
  if (!METRIC_NAME.test(metric)) {
    throw new Error(`delivery.falco.metric "${metric}" is not a metric name`);
  }
  if (!K8S_NAME.test(namespace) || !K8S_NAME.test(rollout)) {
    throw new Error(
      `Invalid namespace or Rollout name: ${namespace}/${rollout}`,
    );
  }
  if (!POD_HASH.test(podTemplateHash)) {
    throw new Error(`Invalid pod template hash: ${podTemplateHash}`);
  }
  // Pods of the side are named <rollout>-<pod-template-hash>-<suffix>
  const pods = `${rollout.replace(
    /\./g,
    '\\\\.',
  )}-${podTemplateHash}-[a-z0-9]+`;
  const selector = `${metric}{k8s_ns_name="${namespace}",k8s_pod_name=~"${pods}"}`;
  const w = Math.max(60, Math.round(windowSeconds));
  return `sum by (rule, priority, k8s_pod_name) (${selector} - (${selector} offset ${w}s or ${selector} * 0)) > 0`;
}

/** Findings of one side: one per rule and severity, with the pods it hit. */
export function falcoFindings(
  result: InstantQueryResult,
  target: Pick<ScanTarget, 'rollout'>,
  url?: string,
): VulnerabilityFinding[] {
  const byRule = new Map<
    string,
    { rule: string; severity: Severity; count: number; pods: Set<string> }
  >();
  for (const sample of result.samples) {
    if (!Number.isFinite(sample.value) || sample.value <= 0) continue;
    const rule = sample.metric.rule ?? 'unknown rule';
    const severity = falcoSeverity(sample.metric.priority);
    const key = `${rule}\u0000${severity}`;
    const entry = byRule.get(key) ?? {
      rule,
      severity,
      count: 0,
      pods: new Set<string>(),
    };
    entry.count += Math.round(sample.value);
    if (sample.metric.k8s_pod_name) entry.pods.add(sample.metric.k8s_pod_name);
    byRule.set(key, entry);
  }
  const { namespace, name } = target.rollout;
  return [...byRule.values()].map(e => ({
    id: e.rule,
    title: e.rule,
    severity: e.severity,
    // the workload, the same on both sides, so the canary delta is per rule
    packageName: `${namespace}/${name}`,
    location: [...e.pods].sort().join(', '),
    occurrences: e.count,
    fixable: false,
    source: 'falco',
    layer: 'runtime' as const,
    ...(url ? { url } : {}),
  }));
}

/** How long a side's detections are reused: runtime state is live. */
const RUNTIME_TTL_MS = 15_000;

/**
 * Falco: the runtime detections in the side's Pods over the soak window,
 * from the Falco events counter in Prometheus.
 */
export function createFalcoScanner(options: {
  config: FalcoConfig;
  instances: PrometheusInstanceConfig[];
  clientFor(instance: PrometheusInstanceConfig): PrometheusClient;
  cache: SignalCache;
}): DeliveryScanner {
  const { config, instances, cache } = options;
  return {
    id: 'falco',
    layer: 'runtime',
    async scan(target) {
      const instance = config.prometheus
        ? instances.find(i => i.name === config.prometheus)
        : prometheusInstanceFor(instances, target.rollout.instance);
      if (!instance) {
        return {
          status: 'not-configured',
          message: config.prometheus
            ? `delivery.falco.prometheus names no configured Prometheus instance ("${config.prometheus}")`
            : `No Prometheus instance watches Argo CD instance ${target.rollout.instance}`,
        };
      }
      const client = options.clientFor(instance);
      const windowSeconds = target.windowSeconds ?? config.windowMinutes * 60;
      const query = falcoQuery(
        config.metric,
        target.rollout.namespace,
        target.rollout.name,
        target.podTemplateHash,
        windowSeconds,
      );
      const links = config.url
        ? [{ title: 'Falco events', url: config.url }]
        : [];
      const result = await cache.getOrLoad(
        `falco:${instance.name}:${query}`,
        RUNTIME_TTL_MS,
        () => client.query(query),
      );
      const findings = falcoFindings(result, target, config.url);
      if (findings.length === 0 && config.presenceQuery) {
        const presence = await cache.getOrLoad(
          `falco:presence:${instance.name}:${config.presenceQuery}`,
          RUNTIME_TTL_MS,
          () => client.query(config.presenceQuery!),
        );
        if (!presence.samples.some(s => s.value > 0)) {
          return {
            status: 'no-report',
            message: `Falco is not reporting to Prometheus "${instance.name}" (its presence query returned nothing)`,
          };
        }
      }
      return {
        status: 'report',
        findings,
        links,
        message:
          findings.length === 0
            ? `No Falco detections in ${
                target.side
              } Pods over the last ${Math.round(windowSeconds / 60)} min`
            : undefined,
      };
    },
  };
}
