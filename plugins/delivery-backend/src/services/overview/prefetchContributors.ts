import type { LoggerService } from '@backstage/backend-plugin-api';
import type {
  ApplicationReadTarget,
  DeliveryState,
  OverviewContributor,
  PrefetchTarget,
  RolloutReadTarget,
} from './overviewTypes';
import { toRolloutView } from './rolloutView';

function causeOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * What loadArgoCdState tells of the Applications and Rollouts it reads,
 * handed to the contributors' prefetch hooks, so that their reads start
 * as soon as their inputs are known instead of after the Argo CD part.
 * A hook that throws is logged; the view is not affected.
 */
export function contributorPrefetch(
  contributors: ReadonlyArray<OverviewContributor>,
  entity: DeliveryState['entity'],
  now: Date,
  logger: LoggerService,
): {
  onRolloutRead?: (read: RolloutReadTarget) => void;
  onApplicationRead?: (read: ApplicationReadTarget) => void;
} {
  const each = <K extends 'prefetch' | 'prefetchApplication'>(
    hook: K,
    target: Parameters<NonNullable<OverviewContributor[K]>>[0],
  ) => {
    for (const c of contributors) {
      try {
        (c[hook] as ((t: typeof target) => void) | undefined)?.(target);
      } catch (error) {
        logger.warn(
          `Delivery overview: ${c.source} prefetch: ${causeOf(error)}`,
        );
      }
    }
  };
  const rollouts = contributors.some(c => c.prefetch);
  const applications = contributors.some(c => c.prefetchApplication);
  return {
    onRolloutRead: rollouts
      ? read => {
          let target: PrefetchTarget;
          try {
            target = {
              ...read,
              entity,
              // as the view will show it, but for its AnalysisRuns & co.
              view: toRolloutView({
                instance: read.instance,
                application: read.app.name,
                appNamespace: read.app.appNamespace,
                rollout: read.rollout,
                treeNodes: read.treeNodes,
                analysisRuns: [],
                actions: [],
                now,
              }),
            };
          } catch (error) {
            // the view is modelled again, and a failure reported, later
            logger.warn(`Delivery overview: prefetch: ${causeOf(error)}`);
            return;
          }
          each('prefetch', target);
        }
      : undefined,
    onApplicationRead: applications
      ? read => each('prefetchApplication', { ...read, entity })
      : undefined,
  };
}
