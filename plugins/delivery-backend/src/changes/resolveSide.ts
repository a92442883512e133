import { InputError } from '@backstage/errors';
import type {
  ApplicationView,
  ChangeSide,
  DeliveryOverview,
  EnvironmentView,
} from '@gitops-delivery/backstage-plugin-delivery-common';

/** A side of a change, resolved against the entity's overview. */
export interface ResolvedSide extends ChangeSide {
  app: ApplicationView;
}

const SELECTOR = /^(.+?)(?:@(\d{1,12}))?$/;

/**
 * What an environment runs now. Under a canary, `to` (the baseline) is
 * what its Rollouts run as stable, `from` (what would be promoted) what
 * they run as canary; without Rollouts, the Application's images.
 */
function runningImages(
  environment: EnvironmentView,
  parameter: 'from' | 'to',
): string[] {
  const rollouts = environment.rollouts;
  if (rollouts.length === 0) {
    return [...new Set(environment.applications.flatMap(a => a.images))];
  }
  return [
    ...new Set(
      rollouts.flatMap(r =>
        parameter === 'to' || r.canaryImages.length === 0
          ? r.stableImages
          : r.canaryImages,
      ),
    ),
  ];
}

/**
 * Resolves `staging` (the environment's current revision) or `staging@12`
 * (its Application's history entry 12). A selector that names nothing the
 * entity has is the caller's mistake: a 400 naming the parameter and what
 * exists instead.
 */
export function resolveSide(
  overview: DeliveryOverview,
  parameter: 'from' | 'to',
  selector: string,
): ResolvedSide {
  const [, name, id] = SELECTOR.exec(selector) ?? [];
  const environment = overview.environments.find(e => e.name === name);
  if (!environment) {
    const known = overview.environments.map(e => e.name);
    throw new InputError(
      `Invalid ${parameter}: ${
        overview.entityRef
      } has no environment "${name}"${
        known.length ? `; it has ${known.join(', ')}` : ''
      }`,
    );
  }
  const app = environment.applications[0];
  if (!app) {
    throw new InputError(
      `Invalid ${parameter}: environment "${name}" of ${overview.entityRef} has no Argo CD Application`,
    );
  }
  const base = {
    selector,
    environment: environment.name,
    instance: app.instance,
    application: app.name,
    app,
  };
  if (id === undefined) {
    const revision = app.sync.revision ?? app.sync.revisions?.[0];
    const latest = app.history[0];
    return {
      ...base,
      ...(revision ? { revision } : {}),
      ...(latest?.deployedAt && latest.revision === revision
        ? { deployedAt: latest.deployedAt }
        : {}),
      images: runningImages(environment, parameter),
    };
  }
  const entry = app.history.find(h => h.id === Number(id));
  if (!entry) {
    const ids = app.history.map(h => h.id);
    throw new InputError(
      `Invalid ${parameter}: ${app.name} (${
        environment.name
      }) has no history entry ${id}${
        ids.length ? `; it has ${ids.join(', ')}` : ''
      }`,
    );
  }
  const revision = entry.revision ?? entry.revisions?.[0];
  return {
    ...base,
    historyId: entry.id,
    ...(revision ? { revision } : {}),
    ...(entry.deployedAt ? { deployedAt: entry.deployedAt } : {}),
  };
}
