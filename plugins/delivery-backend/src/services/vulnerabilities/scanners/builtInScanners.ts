import type { MetricsService as UpstreamMetrics } from '@backstage/backend-plugin-api/alpha';
import {
  DefaultGithubCredentialsProvider,
  type ScmIntegrationRegistry,
} from '@backstage/integration';
import type {
  SecretRedactor,
  DeliveryScanner,
} from '@gitops-delivery/backstage-plugin-delivery-node';
import type { SignalCache } from '../../signals/SignalCache';
import { createSnykClient } from '../SnykClient';
import { createTrivyReportClient } from '../TrivyReportClient';
import type { VulnerabilitiesConfig } from '../vulnerabilitiesConfig';
import {
  createPrometheusClient,
  type PrometheusInstanceConfig,
} from '../../prometheus/PrometheusClient';
import { createConfigAuditScanner } from './configAuditScanner';
import { createFalcoScanner } from './falcoScanner';
import { createSnykScanner } from './snykScanner';
import { createSnykOpenSourceScanner } from './snykOpenSourceScanner';
import { createTrivyOperatorScanner } from './trivyOperatorScanner';
import { createTrivyScanner } from './trivyScanner';
import { createGithubSecurityClient } from '../github/GithubSecurityClient';
import {
  createCodeScanningScanners,
  createDependabotScanner,
  GITHUB_SCANNER_IDS,
} from '../github/githubSecurityScanners';

/** Ids of the built-in image scanners, in the order their sources are listed. */
export const BUILT_IN_SCANNER_IDS = ['trivy', 'trivy-operator', 'snyk'];

/** Ids of the built-in scanners of the other security layers. */
export const BUILT_IN_SECURITY_SCANNER_IDS = [
  'trivy-operator-config',
  'falco',
  'snyk-open-source',
  GITHUB_SCANNER_IDS.sast,
  GITHUB_SCANNER_IDS.iac,
  GITHUB_SCANNER_IDS.sca,
];

/**
 * The configured built-in scanners, in the order they run: Trivy Operator
 * first (its report names the digest it scanned), then Trivy, then Snyk.
 */
export function builtInScanners(
  config: VulnerabilitiesConfig,
  cache: SignalCache,
  options: {
    fetch?: typeof fetch;
    /** Learns the scanners' credentials; redacts their error texts. */
    redactor?: SecretRedactor;
    /** Counts and times the scanners' upstream calls. */
    metrics?: UpstreamMetrics;
    /** The configured Prometheus instances (Falco's runtime detections). */
    prometheus?: PrometheusInstanceConfig[];
    /** `integrations.github`: hosts and credentials of code scanning and Dependabot. */
    githubIntegrations?: ScmIntegrationRegistry;
  } = {},
): DeliveryScanner[] {
  const scanners: DeliveryScanner[] = [];
  if (config.trivyOperator.enabled) {
    scanners.push(createTrivyOperatorScanner());
  }
  if (config.trivy) {
    scanners.push(
      createTrivyScanner(createTrivyReportClient(config.trivy, options), cache),
    );
  }
  if (config.snyk) {
    const snyk = createSnykClient(config.snyk, options);
    scanners.push(createSnykScanner(snyk, config.snyk, cache));
    if (config.snykOpenSource) {
      scanners.push(
        createSnykOpenSourceScanner(
          snyk,
          config.snyk,
          config.snykOpenSource,
          cache,
        ),
      );
    }
  }
  if (config.trivyOperator.enabled && config.trivyOperator.configAudit) {
    scanners.push(createConfigAuditScanner());
  }
  if (config.falco) {
    const clients = new Map<
      string,
      ReturnType<typeof createPrometheusClient>
    >();
    scanners.push(
      createFalcoScanner({
        config: config.falco,
        instances: options.prometheus ?? [],
        cache,
        clientFor: instance => {
          let client = clients.get(instance.name);
          if (!client) {
            client = createPrometheusClient(instance, options);
            clients.set(instance.name, client);
          }
          return client;
        },
      }),
    );
  }
  const github = config.githubSecurity;
  if (
    github &&
    options.githubIntegrations &&
    (github.codeScanning || github.dependabot)
  ) {
    const client = createGithubSecurityClient({
      integrations: options.githubIntegrations,
      credentialsProvider: DefaultGithubCredentialsProvider.fromIntegrations(
        options.githubIntegrations,
      ),
      host: github.host,
      timeoutMs: github.timeoutMs,
      maxPages: github.maxPages,
      fetch: options.fetch,
      redactor: options.redactor,
      metrics: options.metrics,
    });
    if (github.codeScanning) {
      scanners.push(...createCodeScanningScanners(client, github, cache));
    }
    if (github.dependabot) {
      scanners.push(createDependabotScanner(client, cache));
    }
  }
  return scanners;
}
