import type { MetricsService } from '@backstage/backend-plugin-api/alpha';
import type {
  GithubCredentialsProvider,
  ScmIntegrationRegistry,
} from '@backstage/integration';
import type { SecretRedactor } from '@gitops-delivery/backstage-plugin-delivery-node';

/**
 * What the plugin's GitHub REST reads (Actions runs, code scanning and
 * Dependabot alerts, compare) send besides their credentials.
 */
export const GITHUB_REST_HEADERS: Readonly<Record<string, string>> = {
  accept: 'application/vnd.github+json',
  'x-github-api-version': '2022-11-28',
};

/** What a GitHub REST client of the plugin is created with. */
export type GithubClientOptions = {
  integrations: ScmIntegrationRegistry;
  credentialsProvider: GithubCredentialsProvider;
  timeoutMs: number;
  /** Learns the integrations' and the obtained credentials; redacts errors. */
  redactor: SecretRedactor;
  /** Counts and times the calls (`delivery.github.calls`). */
  metrics?: MetricsService;
  fetch?: typeof fetch;
};

/**
 * Teaches the redactor every credential configured under
 * `integrations.github` (tokens and the GitHub Apps' keys and secrets), so
 * none of them reaches a response, a log line or an error.
 */
export function registerGithubIntegrationSecrets(
  redactor: SecretRedactor,
  integrations: ScmIntegrationRegistry,
): void {
  for (const { config } of integrations.github.list()) {
    const what = `a credential of integrations.github "${config.host}"`;
    redactor.register(config.token, { what });
    for (const app of config.apps ?? []) {
      redactor.register(app.privateKey, { what });
      redactor.register(app.clientSecret, { what });
      redactor.register(app.webhookSecret, { what });
    }
  }
}

/**
 * The request headers that authenticate a read of one repository. A GitHub
 * App's installation token is obtained here, not configured, so it (and every
 * header value carrying it) is registered with the redactor before any use.
 */
export async function obtainGithubCredentials(options: {
  credentialsProvider: GithubCredentialsProvider;
  redactor: SecretRedactor;
  /** The repository's web address, e.g. `https://github.com/owner/repo`. */
  repositoryUrl: string;
  host: string;
}): Promise<Record<string, string>> {
  const { headers, token } = await options.credentialsProvider.getCredentials({
    url: options.repositoryUrl,
  });
  const what = `a token obtained for ${options.host}`;
  options.redactor.register(token, { what, obtained: true });
  for (const value of Object.values(headers ?? {})) {
    options.redactor.register(value, { what, obtained: true });
  }
  return headers ?? {};
}
