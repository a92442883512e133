import type {
  BackstageCredentials,
  LoggerService,
} from '@backstage/backend-plugin-api';
import type {
  EnvironmentView,
  SourceStatus,
} from '@gitops-delivery/backstage-plugin-delivery-common';
import type { DeliveryOverviewObserver } from '@gitops-delivery/backstage-plugin-delivery-node';
import { withDeadline } from './deadline';
import type { DeliveryState, OverviewContributor } from './OverviewService';

function causeOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * The state as one contributor sees it: its own copy of each environment,
 * so that what it writes reaches the view only if it finishes in time.
 */
function privateCopy(state: DeliveryState): DeliveryState {
  return {
    ...state,
    overview: {
      ...state.overview,
      environments: state.overview.environments.map(e => ({ ...e })),
    },
  };
}

/**
 * Copies what a contributor wrote into its copy of an environment: the
 * summary entries it replaced, and the stages when it replaced them.
 */
function applyEdits(
  target: EnvironmentView,
  before: EnvironmentView,
  after: EnvironmentView,
) {
  if (after.summary !== before.summary && after.summary) {
    const changed = Object.fromEntries(
      Object.entries(after.summary).filter(
        ([key, value]) =>
          value !== before.summary?.[key as keyof typeof before.summary],
      ),
    );
    target.summary = { ...target.summary, ...changed };
  }
  if (after.stages !== before.stages) target.stages = after.stages;
}

/**
 * Runs the contributors in parallel, each on its own time budget (from when
 * it starts, whatever the others do) and its own copy of the environments:
 * a contributor that fails or runs out of time is reported as an `error`
 * source and leaves no part of the view behind, not even one it writes
 * later. The others' parts are applied as each finishes.
 */
export async function runContributors(
  contributors: ReadonlyArray<OverviewContributor>,
  state: DeliveryState,
  options: {
    credentials: BackstageCredentials;
    budgetMs: number;
    logger: LoggerService;
  },
): Promise<SourceStatus[]> {
  const results = await Promise.all(
    contributors.map(async (c): Promise<SourceStatus[]> => {
      const deadline = Date.now() + options.budgetMs;
      const own = privateCopy(state);
      const before = own.overview.environments.map(e => ({ ...e }));
      try {
        const statuses = await withDeadline(
          c.contribute(own, { credentials: options.credentials, deadline }),
          deadline,
          c.source,
        );
        state.overview.environments.forEach((target, i) =>
          applyEdits(target, before[i], own.overview.environments[i]),
        );
        return statuses;
      } catch (error) {
        options.logger.warn(
          `Delivery overview: ${c.source}: ${causeOf(error)}`,
        );
        return [{ source: c.source, status: 'error', message: causeOf(error) }];
      }
    }),
  );
  return results.flat();
}

/**
 * Tells the observers of an overview (e.g. the deployment recorder) what
 * it shows once its Argo CD part is read, next to the contributors and on
 * the same time budget. Each sees its own copy of the environments; one
 * that fails or runs out of time is only logged: it adds nothing to the
 * view, so it cannot break it.
 */
export async function runObservers(
  observers: ReadonlyArray<DeliveryOverviewObserver>,
  state: DeliveryState,
  options: { budgetMs: number; logger: LoggerService },
): Promise<void> {
  await Promise.all(
    observers.map(async observer => {
      const { entity, overview } = privateCopy(state);
      try {
        await withDeadline(
          observer({ entity, overview }),
          Date.now() + options.budgetMs,
          'overview observer',
        );
      } catch (error) {
        options.logger.warn(
          `Delivery overview: an observer of ${
            entity.entityRef
          } failed: ${causeOf(error)}`,
        );
      }
    }),
  );
}
