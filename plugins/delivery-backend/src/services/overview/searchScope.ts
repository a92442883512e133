import type { SourceStatus } from '@gitops-delivery/backstage-plugin-delivery-common';
import { ANNOTATION_ARGOCD_INSTANCE_NAME } from '@gitops-delivery/backstage-plugin-delivery-common';
import type { ResolvedEntity } from '../EntityResolver/EntityResolver';

/** Where an entity's Applications are searched, and why not elsewhere. */
export interface SearchScope {
  /** The configured instances to search (empty: nothing is searched). */
  instances: string[];
  /** Warnings for the entity's owner (unknown instances named). */
  warnings: string[];
  /** Set when nothing is searched: the Argo CD source's status. */
  notSearched?: SourceStatus;
}

const quoted = (names: string[]) => names.map(name => `"${name}"`).join(', ');

/**
 * Which configured Argo CD instances an entity's annotations point at. An
 * instance annotation restricts the search even when nothing it names is
 * usable: a name that is unknown must never widen it to all.
 */
export function searchScope(
  entity: Pick<ResolvedEntity, 'entity' | 'annotations'>,
  configured: string[],
): SearchScope {
  const { annotations } = entity;
  if (!annotations.appName && !annotations.appSelector) {
    return {
      instances: [],
      warnings: [],
      notSearched: {
        source: 'argocd',
        status: 'not-configured',
        message:
          'The entity has no valid argocd/app-name or argocd/app-selector annotation',
      },
    };
  }
  const restricted = Boolean(
    entity.entity.metadata.annotations?.[
      ANNOTATION_ARGOCD_INSTANCE_NAME
    ]?.trim(),
  );
  const unknown = annotations.instances.filter(i => !configured.includes(i));
  const warnings =
    unknown.length === 0
      ? []
      : [
          `Annotation ${ANNOTATION_ARGOCD_INSTANCE_NAME} lists ${quoted(
            unknown,
          )}, which ${
            unknown.length === 1
              ? 'is not a configured Argo CD instance'
              : 'are not configured Argo CD instances'
          }; ${unknown.length === 1 ? 'it is' : 'they are'} not searched.`,
        ];
  const instances = restricted
    ? annotations.instances.filter(i => configured.includes(i))
    : configured;
  if (instances.length > 0) return { instances, warnings };
  return {
    instances,
    warnings,
    notSearched: {
      source: 'argocd',
      status: restricted ? 'error' : 'not-configured',
      message: restricted
        ? `Annotation ${ANNOTATION_ARGOCD_INSTANCE_NAME} names no configured Argo CD instance${
            unknown.length > 0 ? ` (${quoted(unknown)} unknown)` : ''
          }; nothing is searched`
        : 'No configured Argo CD instance to search',
    },
  };
}

/** The warning when the searched instances answered but none has a match. */
export function noMatchWarning(
  annotations: ResolvedEntity['annotations'],
  instances: string[],
): string {
  return `No Argo CD application matches ${
    annotations.appSelector
      ? `the selector "${annotations.appSelector}"`
      : `the name "${annotations.appName}"`
  } on ${quoted(instances)}.`;
}
