import type {
  ImageVulnerabilities,
  RolloutView,
  SecurityLayerView,
  SloMetricView,
  VulnerabilitiesResponse,
} from '@gitops-delivery/backstage-plugin-delivery-common';
import type { DeliveryEntityInfo } from '@gitops-delivery/backstage-plugin-delivery-node';
import type { LiveApplication } from '../services/overview/overviewTypes';
import type { MetricsService } from '../services/prometheus/MetricsService';

/** What the policy needs to know about the entity a rollout belongs to. @public */
export interface SignalsSubject {
  entityRef: string;
  environment: string;
  /** The entity's `prometheus.io/service-name`, if any. */
  serviceName?: string;
  /** The entity, whose annotations scanners read their own inputs from. */
  entity: DeliveryEntityInfo;
  rollout: RolloutView;
  /** The Applications the entity's state read (their trees, sync status and history). */
  applications?: LiveApplication[];
}

/** SLO values and scan findings of one rollout, for policy gates. @public */
export interface SignalsProvider {
  sloValues(
    subject: SignalsSubject,
  ): Promise<{ slos?: SloMetricView[]; error?: string }>;
  imageFindings(subject: SignalsSubject): Promise<{
    images?: ImageVulnerabilities[];
    error?: string;
    /** The rollout's five security layers, from the same read. */
    security?: SecurityLayerView[];
  }>;
}

/** Reads the findings of an environment's images (the vulnerabilities route's data). @public */
export type VulnerabilitiesSource = (request: {
  entity: DeliveryEntityInfo;
  environment: string;
  rollouts: RolloutView[];
  /** Already read Applications: their trees and revisions are not read again. */
  applications?: LiveApplication[];
}) => Promise<VulnerabilitiesResponse>;

function causeOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Adapts the signal services to the policy. A missing service or a failed
 * source becomes an explained absence, which the gates turn into `unknown`
 * (and so, by default, a closed gate).
 */
export function createSignalsProvider(options: {
  metrics?: MetricsService;
  vulnerabilities?: VulnerabilitiesSource;
}): SignalsProvider {
  return {
    async sloValues(subject) {
      if (!options.metrics) return { error: 'No Prometheus is configured' };
      try {
        const response = await options.metrics.getMetrics({
          entityRef: subject.entityRef,
          environment: subject.environment,
          serviceName: subject.serviceName,
          rollouts: [subject.rollout],
          rangeSeconds: 600,
        });
        const view = response.rollouts.find(
          r =>
            r.rollout === subject.rollout.name &&
            r.namespace === subject.rollout.namespace,
        );
        const failed = response.sources.filter(s => s.status === 'error');
        if (!view) {
          return {
            error:
              failed.map(s => s.message ?? s.source).join('; ') ||
              'No SLO values for the rollout',
          };
        }
        return { slos: view.slos };
      } catch (error) {
        return { error: causeOf(error) };
      }
    },

    async imageFindings(subject) {
      if (!options.vulnerabilities) {
        return { error: 'No vulnerability scanner is configured' };
      }
      try {
        const response = await options.vulnerabilities({
          entity: subject.entity,
          environment: subject.environment,
          rollouts: [subject.rollout],
          applications: subject.applications,
        });
        const view = response.rollouts.find(
          r =>
            r.rollout === subject.rollout.name &&
            r.namespace === subject.rollout.namespace,
        );
        // the image being promoted is the canary's; a finished rollout only has stable
        const image = view?.canary ?? view?.stable;
        const security = view?.layers;
        if (!image) {
          const failed = response.sources.filter(s => s.status === 'error');
          return {
            error:
              failed.map(s => s.message ?? s.source).join('; ') ||
              'No scan of the image being promoted',
            ...(security ? { security } : {}),
          };
        }
        return { images: [image], ...(security ? { security } : {}) };
      } catch (error) {
        return { error: causeOf(error) };
      }
    },
  };
}
