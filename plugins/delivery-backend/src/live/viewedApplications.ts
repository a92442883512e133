import type {
  CacheService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import type { DeliveryOverview } from '@gitops-delivery/backstage-plugin-delivery-common';
import type { ChangedApplication } from './entityIndex';

/** How long an overview's Applications are tied to its entity. */
export const VIEWED_TTL_MS = 15 * 60_000;

/**
 * Which entities' overviews showed an Application lately: how a change of
 * an Application found by a label selector (a change names no labels)
 * reaches the entity's open tabs.
 */
export interface ViewedApplications {
  record(overview: DeliveryOverview): Promise<void>;
  entitiesOf(change: ChangedApplication): Promise<string[]>;
}

const keyOf = (instance: string, name: string, appNamespace?: string) =>
  `delivery-live:v1:viewed:${instance}/${appNamespace ?? ''}/${name}`;

/**
 * The memo on Backstage's CacheService, shared by replicas (Redis in
 * production): a change one replica sees reaches entities viewed through
 * another. Each replica writes a key again only when it adds an entity or a
 * third of the TTL has passed, so a polled tab does not write on each poll.
 */
export function createViewedApplications(options: {
  cache: CacheService;
  logger: LoggerService;
  now?: () => number;
}): ViewedApplications {
  const { cache, logger } = options;
  const now = options.now ?? Date.now;
  const written = new Map<string, { refs: Set<string>; at: number }>();

  async function add(key: string, entityRef: string) {
    const mine = written.get(key);
    if (mine?.refs.has(entityRef) && now() - mine.at < VIEWED_TTL_MS / 3) {
      return;
    }
    const stored = ((await cache.get(key)) as string[] | undefined) ?? [];
    const refs = new Set([...stored, ...(mine?.refs ?? []), entityRef]);
    await cache.set(key, [...refs].sort(), { ttl: VIEWED_TTL_MS });
    written.set(key, { refs, at: now() });
  }

  return {
    async record(overview) {
      const entityRef = overview.entityRef.toLocaleLowerCase('en-US');
      const keys = new Set(
        overview.environments.flatMap(env =>
          // also without its app namespace: a change may name none
          env.applications.flatMap(app => [
            keyOf(app.instance, app.name, app.appNamespace),
            keyOf(app.instance, app.name),
          ]),
        ),
      );
      try {
        await Promise.all([...keys].map(key => add(key, entityRef)));
      } catch (error) {
        logger.warn(
          `Delivery: could not remember the Applications of ${entityRef} for change signals: ${
            error instanceof Error ? error.message : String(error)
          }`,
        );
      }
    },
    async entitiesOf({ instance, application }) {
      // an overview's Application with no app namespace is recorded under
      // the bare key, which a change naming one must find too
      const keys = new Set([
        keyOf(instance, application.name, application.appNamespace),
        keyOf(instance, application.name),
      ]);
      const found = await Promise.all(
        [...keys].map(
          async key => ((await cache.get(key)) as string[] | undefined) ?? [],
        ),
      );
      return [...new Set(found.flat())];
    },
  };
}
