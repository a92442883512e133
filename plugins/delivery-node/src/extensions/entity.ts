import type { ResolvedAnnotations } from '@gitops-delivery/backstage-plugin-delivery-common';

/** The catalog entity a delivery view is for, as extensions see it. @public */
export interface DeliveryEntityInfo {
  /** e.g. `component:default/shop`. */
  entityRef: string;
  /** The entity as the catalog returned it (only its annotations are relied on). */
  entity: { metadata: { annotations?: Record<string, string> } };
  /** The entity's delivery annotations, read and validated. */
  annotations: ResolvedAnnotations;
}

/** Which side of a rollout something runs on or is measured for. @public */
export type RolloutSide = 'canary' | 'stable';

/** The Argo Rollout a scan or a measurement is for. @public */
export interface RolloutIdentity {
  /** Configured Argo CD instance name. */
  instance: string;
  /** Argo CD Application. */
  application: string;
  /** Kubernetes namespace of the Rollout. */
  namespace: string;
  /** Name of the Rollout. */
  name: string;
}

/** The entity's raw annotation `key`, trimmed; undefined when absent or blank. @public */
export function entityAnnotation(
  entity: DeliveryEntityInfo,
  key: string,
): string | undefined {
  const value = entity.entity.metadata.annotations?.[key]?.trim();
  return value ? value : undefined;
}
