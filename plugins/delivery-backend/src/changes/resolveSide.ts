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

/** A `from` or `to` selector, parsed. */
export interface SideSelector {
  environment: string;
  /** The Argo CD instance qualifying `application` (`eu:checkout`). */
  instance?: string;
  /** The Application of the environment, when the selector names one. */
  application?: string;
  historyId?: number;
}

const NAME = '[A-Za-z0-9](?:[-A-Za-z0-9_.]*[A-Za-z0-9])?';

/**
 * The selector syntax, `environment[/[instance:]application][@historyId]`
 * (`production`, `production/checkout-eu`, `production/eu:checkout@12`):
 * the same pattern as the spec's ChangeSelector and the what-changes
 * action's input.
 */
export const CHANGE_SELECTOR_PATTERN = new RegExp(
  `^(${NAME})(?:/(?:(${NAME}):)?(${NAME}))?(?:@([0-9]{1,12}))?$`,
);

/** Parses a selector; one that does not follow the syntax is a 400. */
export function parseSelector(
  parameter: 'from' | 'to',
  selector: string,
): SideSelector {
  const match = CHANGE_SELECTOR_PATTERN.exec(selector);
  if (!match) {
    throw new InputError(
      `Invalid ${parameter}: "${selector}" is not environment[/[instance:]application][@historyId]`,
    );
  }
  const [, environment, instance, application, id] = match;
  return {
    environment,
    ...(instance ? { instance } : {}),
    ...(application ? { application } : {}),
    ...(id !== undefined ? { historyId: Number(id) } : {}),
  };
}

/**
 * How a caller names `app` in a selector: `environment/application`, or
 * `environment/instance:application` where another Argo CD instance has an
 * Application of that name in the environment.
 */
export function applicationSelector(
  environment: EnvironmentView,
  app: ApplicationView,
): string {
  const homonyms = environment.applications.filter(a => a.name === app.name);
  return homonyms.length > 1
    ? `${environment.name}/${app.instance}:${app.name}`
    : `${environment.name}/${app.name}`;
}

const revisionOf = (x?: { revision?: string; revisions?: string[] }) =>
  x?.revision ?? x?.revisions?.[0];

/** The revision a side would take in `app`: its current one, or its entry's. */
function sideRevision(app: ApplicationView, historyId?: number) {
  return historyId === undefined
    ? revisionOf(app.sync)
    : revisionOf(app.history.find(h => h.id === historyId));
}

/** The Applications a selector that names one matches: exactly one, else a 400. */
function namedApplication(
  parameter: 'from' | 'to',
  environment: EnvironmentView,
  wanted: SideSelector,
): ApplicationView {
  const matches = environment.applications.filter(
    a =>
      a.name === wanted.application &&
      (!wanted.instance || a.instance === wanted.instance),
  );
  if (matches.length === 1) return matches[0];
  const named = `${wanted.instance ? `${wanted.instance}:` : ''}${
    wanted.application
  }`;
  if (matches.length === 0) {
    const known = environment.applications.map(a =>
      applicationSelector(environment, a),
    );
    throw new InputError(
      `Invalid ${parameter}: environment "${
        environment.name
      }" has no Application "${named}"${
        known.length ? `; it has ${known.join(', ')}` : ''
      }`,
    );
  }
  throw new InputError(
    `Invalid ${parameter}: "${environment.name}/${named}" names ${
      matches.length
    } Applications; qualify it with the Argo CD instance: ${matches
      .map(a => applicationSelector(environment, a))
      .join(' or ')}`,
  );
}

/**
 * The Application a side is read from. A named one must exist (and be the
 * only one of that name); an environment's only Application is taken as
 * it is. Of several, none named, the first by instance then name is taken
 * when all of them are at the side's revision (they run the same thing, so
 * the choice changes only which one renders the manifests); otherwise
 * guessing would answer for the wrong cluster, so it is a 400 naming them.
 */
export function pickApplication(
  overview: DeliveryOverview,
  parameter: 'from' | 'to',
  environment: EnvironmentView,
  wanted: SideSelector,
): ApplicationView {
  if (wanted.application) {
    return namedApplication(parameter, environment, wanted);
  }
  const apps = [...environment.applications].sort(
    (a, b) =>
      a.instance.localeCompare(b.instance) || a.name.localeCompare(b.name),
  );
  if (apps.length === 0) {
    throw new InputError(
      `Invalid ${parameter}: environment "${environment.name}" of ${overview.entityRef} has no Argo CD Application`,
    );
  }
  if (apps.length === 1) return apps[0];
  const revisions = apps.map(a => sideRevision(a, wanted.historyId));
  if (revisions.every(r => r !== undefined && r === revisions[0])) {
    return apps[0];
  }
  const where = apps.map((a, i) => {
    const revision = revisions[i];
    if (revision) return `${a.name} at ${revision.slice(0, 7)}`;
    return wanted.historyId === undefined
      ? `${a.name} at an unknown revision`
      : `${a.name} without entry ${wanted.historyId}`;
  });
  throw new InputError(
    `Invalid ${parameter}: environment "${environment.name}" of ${
      overview.entityRef
    } has ${apps.length} Applications not at one revision (${where.join(
      ', ',
    )}); name one: ${apps
      .map(
        a =>
          `${applicationSelector(environment, a)}${
            wanted.historyId === undefined ? '' : `@${wanted.historyId}`
          }`,
      )
      .join(', ')}`,
  );
}

/**
 * What a side's Application runs now. Under a canary, `to` (the baseline)
 * is what its Rollouts run as stable, `from` (what would be promoted) what
 * they run as canary; without Rollouts, the Application's images.
 */
function runningImages(
  environment: EnvironmentView,
  app: ApplicationView,
  parameter: 'from' | 'to',
): string[] {
  const rollouts = environment.rollouts.filter(
    r => r.instance === app.instance && r.application === app.name,
  );
  if (rollouts.length === 0) return [...new Set(app.images)];
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
 * Resolves a side: `staging` (the environment's current revision),
 * `staging@12` (history entry 12), `production/checkout-eu` or
 * `production/eu:checkout@12` (a named Application of the environment).
 * A selector that names nothing the entity has, or an environment whose
 * Applications disagree when none is named, is the caller's mistake: a 400
 * naming the parameter and what to write instead.
 */
export function resolveSide(
  overview: DeliveryOverview,
  parameter: 'from' | 'to',
  selector: string,
): ResolvedSide {
  const wanted = parseSelector(parameter, selector);
  const environment = overview.environments.find(
    e => e.name === wanted.environment,
  );
  if (!environment) {
    const known = overview.environments.map(e => e.name);
    throw new InputError(
      `Invalid ${parameter}: ${overview.entityRef} has no environment "${
        wanted.environment
      }"${known.length ? `; it has ${known.join(', ')}` : ''}`,
    );
  }
  const app = pickApplication(overview, parameter, environment, wanted);
  const base = {
    selector,
    environment: environment.name,
    instance: app.instance,
    application: app.name,
    app,
  };
  if (wanted.historyId === undefined) {
    const revision = revisionOf(app.sync);
    const latest = app.history[0];
    return {
      ...base,
      ...(revision ? { revision } : {}),
      ...(latest?.deployedAt && latest.revision === revision
        ? { deployedAt: latest.deployedAt }
        : {}),
      images: runningImages(environment, app, parameter),
    };
  }
  const entry = app.history.find(h => h.id === wanted.historyId);
  if (!entry) {
    const ids = app.history.map(h => h.id);
    throw new InputError(
      `Invalid ${parameter}: ${app.name} (${
        environment.name
      }) has no history entry ${wanted.historyId}${
        ids.length ? `; it has ${ids.join(', ')}` : ''
      }`,
    );
  }
  const revision = revisionOf(entry);
  return {
    ...base,
    historyId: entry.id,
    ...(revision ? { revision } : {}),
    ...(entry.deployedAt ? { deployedAt: entry.deployedAt } : {}),
  };
}
