import {
  ANNOTATION_ARGOCD_INSTANCE_NAME,
  readDeliveryAnnotations,
} from '@gitops-delivery/backstage-plugin-delivery-common';
import type { Entity } from '@backstage/catalog-model';
import { parseLabelSelector } from './labelSelector';
import type { FleetApplication } from './fleetTypes';

/** Which Applications of the instance-wide lists belong to an entity. */
export type ApplicationSearch =
  | {
      instances: string[];
      matches: (application: FleetApplication) => boolean;
    }
  | { error: string };

/**
 * The entity's search, read from its annotations exactly as its tab reads
 * them (selector before name, projects, app namespace, instance list), but
 * applied to Applications already listed: the fleet lists each instance
 * once for every row instead of asking Argo CD per entity.
 */
export function applicationSearch(
  entity: Entity,
  configured: ReadonlyArray<string>,
): ApplicationSearch {
  const { annotations } = readDeliveryAnnotations(entity);
  if (!annotations.appName && !annotations.appSelector) {
    return {
      error:
        'The entity has no valid argocd/app-name or argocd/app-selector annotation',
    };
  }
  const restricted = Boolean(
    entity.metadata.annotations?.[ANNOTATION_ARGOCD_INSTANCE_NAME]?.trim(),
  );
  const instances = restricted
    ? annotations.instances.filter(i => configured.includes(i))
    : [...configured];
  if (instances.length === 0) {
    return {
      error: restricted
        ? `Annotation ${ANNOTATION_ARGOCD_INSTANCE_NAME} names no configured Argo CD instance`
        : 'No configured Argo CD instance to search',
    };
  }
  let byLabels: ((labels: Record<string, string>) => boolean) | undefined;
  if (annotations.appSelector) {
    try {
      byLabels = parseLabelSelector(annotations.appSelector);
    } catch (error) {
      return { error: (error as Error).message };
    }
  }
  const { appName, appNamespace, projects } = annotations;
  return {
    instances,
    matches: application => {
      const { metadata, spec } = application;
      if (appNamespace && metadata.namespace !== appNamespace) return false;
      if (projects.length > 0 && !projects.includes(spec?.project ?? '')) {
        return false;
      }
      return byLabels
        ? byLabels(metadata.labels ?? {})
        : metadata.name === appName;
    },
  };
}
