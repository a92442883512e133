import type { AuthService, LoggerService } from '@backstage/backend-plugin-api';
import { CATALOG_FILTER_EXISTS } from '@backstage/catalog-client';
import { stringifyEntityRef, type Entity } from '@backstage/catalog-model';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import {
  ANNOTATION_ARGOCD_APP_NAME,
  ANNOTATION_ARGOCD_INSTANCE_NAME,
  readDeliveryAnnotations,
} from '@gitops-delivery/backstage-plugin-delivery-common';
import type { ArgoCdChange } from '../services/live/changeFeed';

/** The Application a change is about. */
export type ChangedApplication = Pick<ArgoCdChange, 'instance' | 'application'>;

/** Which catalog entities name an Argo CD Application in `argocd/app-name`. */
export interface EntityIndex {
  /** Lower-case refs of the entities whose tab searches for this Application by name. */
  entitiesOf(change: ChangedApplication): Promise<string[]>;
}

/** Options of {@link createEntityIndex}. */
export interface EntityIndexOptions {
  catalog: CatalogService;
  auth: AuthService;
  logger: LoggerService;
  /** The configured Argo CD instances. */
  instanceNames: ReadonlyArray<string>;
  /** How long a read of the catalog's delivery entities is used. */
  refreshMs: number;
  now?: () => number;
}

/** An entity's search by name, as its tab runs it. */
interface NameSearch {
  entityRef: string;
  name: string;
  instances: ReadonlyArray<string>;
  appNamespace?: string;
  projects: string[];
}

const lower = (ref: string) => ref.toLocaleLowerCase('en-US');

/**
 * The entity's search when it finds its Applications by name. A selector
 * wins over a name in the tab's search, and a change names no labels, so
 * entities with a selector are left to the Applications their overviews
 * showed (viewedApplications).
 */
export function nameSearchOf(
  entity: Entity,
  configured: ReadonlyArray<string>,
): NameSearch | undefined {
  const { annotations } = readDeliveryAnnotations(entity);
  if (annotations.appSelector || !annotations.appName) return undefined;
  const restricted = Boolean(
    entity.metadata.annotations?.[ANNOTATION_ARGOCD_INSTANCE_NAME]?.trim(),
  );
  return {
    entityRef: lower(stringifyEntityRef(entity)),
    name: annotations.appName,
    instances: restricted
      ? annotations.instances.filter(i => configured.includes(i))
      : configured,
    appNamespace: annotations.appNamespace,
    projects: annotations.projects,
  };
}

/** Whether a change is about an Application the search finds. */
export function searchFinds(search: NameSearch, change: ChangedApplication) {
  const { application } = change;
  return (
    search.name === application.name &&
    search.instances.includes(change.instance) &&
    (!search.appNamespace ||
      !application.appNamespace ||
      search.appNamespace === application.appNamespace) &&
    (search.projects.length === 0 ||
      !application.project ||
      search.projects.includes(application.project))
  );
}

/**
 * Creates the EntityIndex. It reads the entities with `argocd/app-name`
 * with the plugin's own credentials (what changed is published, never
 * shown: the browser refetches as its user), at most once per `refreshMs`.
 */
export function createEntityIndex(options: EntityIndexOptions): EntityIndex {
  const { catalog, auth, logger, instanceNames, refreshMs } = options;
  const now = options.now ?? Date.now;
  let loaded: { at: number; searches: Promise<NameSearch[]> } | undefined;

  async function load(): Promise<NameSearch[]> {
    const credentials = await auth.getOwnServiceCredentials();
    const { items } = await catalog.getEntities(
      {
        filter: {
          [`metadata.annotations.${ANNOTATION_ARGOCD_APP_NAME}`]:
            CATALOG_FILTER_EXISTS,
        },
        fields: [
          'kind',
          'metadata.namespace',
          'metadata.name',
          'metadata.annotations',
        ],
      },
      { credentials },
    );
    return items.flatMap(entity => {
      const search = nameSearchOf(entity, instanceNames);
      return search ? [search] : [];
    });
  }

  function searches(): Promise<NameSearch[]> {
    if (!loaded || now() - loaded.at >= refreshMs) {
      const entry = { at: now(), searches: load() };
      loaded = entry;
      entry.searches.catch(error => {
        // the next change reads the catalog again
        if (loaded === entry) loaded = undefined;
        logger.warn(
          `Delivery: the catalog's delivery entities could not be read for change signals: ${
            error instanceof Error ? error.message : String(error)
          }`,
        );
      });
    }
    return loaded.searches;
  }

  return {
    async entitiesOf(change) {
      const all = await searches();
      return all.filter(s => searchFinds(s, change)).map(s => s.entityRef);
    },
  };
}
