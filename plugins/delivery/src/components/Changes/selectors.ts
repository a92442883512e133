import type {
  ApplicationView,
  EnvironmentView,
} from '@gitops-delivery/backstage-plugin-delivery-common';

// a name the changes route's selector syntax can carry (spec ChangeSelector)
const NAME = /^[A-Za-z0-9](?:[-A-Za-z0-9_.]*[A-Za-z0-9])?$/;

/**
 * The changes route's selector of an Application of an environment:
 * `production/checkout-eu`, or `production/eu:checkout` when `qualify`
 * asks for its Argo CD instance (and the instance's name can be written).
 */
export function applicationSelector(
  environment: string,
  app: { instance: string; name: string },
  qualify: boolean,
): string {
  return qualify && NAME.test(app.instance)
    ? `${environment}/${app.instance}:${app.name}`
    : `${environment}/${app.name}`;
}

/**
 * The selector of one of `app`'s history entries
 * (`staging/checkout-staging@7`), with the Argo CD instance where another
 * instance has an Application of that name in the environment.
 */
export function historySelector(
  environment: EnvironmentView,
  app: ApplicationView,
  id: number,
): string {
  const homonyms = environment.applications.filter(a => a.name === app.name);
  return `${applicationSelector(
    environment.name,
    app,
    homonyms.length > 1,
  )}@${id}`;
}
