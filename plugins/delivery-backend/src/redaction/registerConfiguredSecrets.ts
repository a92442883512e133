import type { Config } from '@backstage/config';
import type { SecretRedactor } from '@gitops-delivery/backstage-plugin-delivery-node';

function headerValues(config: Config | undefined): string[] {
  return (config?.keys() ?? []).flatMap(key => {
    const value = config!.getOptional(key);
    return typeof value === 'string' ? [value] : [];
  });
}

/**
 * Registers every credential the configuration gives the plugins, at
 * start-up, whichever client later uses it: Argo CD tokens and passwords,
 * Prometheus and Trivy report store headers, the Snyk token and the GitHub
 * integrations' tokens and App secrets. Obtained credentials (session and
 * installation tokens) are registered by the clients that obtain them.
 */
export function registerConfiguredSecrets(
  redactor: SecretRedactor,
  config: Config,
): void {
  const delivery = config.getOptionalConfig('delivery');
  for (const c of delivery?.getOptionalConfigArray('argocd.instances') ?? []) {
    const what = `the Argo CD instance "${c.getOptionalString('name')}"`;
    redactor.register(c.getOptionalString('token'), {
      what: `the token of ${what}`,
    });
    redactor.registerBasicAuth(
      c.getOptionalString('username'),
      c.getOptionalString('password'),
      `the password of ${what}`,
    );
  }
  for (const c of delivery?.getOptionalConfigArray('prometheus.instances') ??
    []) {
    for (const value of headerValues(c.getOptionalConfig('headers'))) {
      redactor.register(value, {
        what: `a header of Prometheus "${c.getOptionalString('name')}"`,
      });
    }
  }
  for (const value of headerValues(
    delivery?.getOptionalConfig('trivy.headers'),
  )) {
    redactor.register(value, { what: 'a header of delivery.trivy' });
  }
  redactor.register(delivery?.getOptionalString('snyk.token'), {
    what: 'delivery.snyk.token',
  });
  for (const c of config.getOptionalConfigArray('integrations.github') ?? []) {
    const what = `a credential of integrations.github "${
      c.getOptionalString('host') ?? 'github.com'
    }"`;
    redactor.register(c.getOptionalString('token'), { what });
    for (const app of c.getOptionalConfigArray('apps') ?? []) {
      for (const key of ['privateKey', 'clientSecret', 'webhookSecret']) {
        redactor.register(app.getOptionalString(key), { what });
      }
    }
  }
}
