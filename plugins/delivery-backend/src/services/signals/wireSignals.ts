import type {
  CacheService,
  HttpAuthService,
  LoggerService,
  RootConfigService,
} from '@backstage/backend-plugin-api';
import type { MetricsService as UpstreamMetrics } from '@backstage/backend-plugin-api/alpha';
import {
  DefaultGithubCredentialsProvider,
  ScmIntegrations,
} from '@backstage/integration';
import type { CiRunView } from '@gitops-delivery/backstage-plugin-delivery-common';
import type {
  SecretRedactor,
  ArgoCdClient,
  DeliveryCiProvider,
} from '@gitops-delivery/backstage-plugin-delivery-node';
import type express from 'express';
import type { AuditStore } from '../../audit/AuditStore';
import type { DeliveryConfig } from '../../config/readDeliveryConfig';
import { readCiConfig, readGitlabCiConfig } from '../ci/ciConfig';
import { createGithubActionsClient } from '../ci/GithubActionsClient';
import { createGitlabCiClient } from '../ci/GitlabCiClient';
import type { OverviewService } from '../overview/OverviewService';
import {
  createMetricsService,
  type MetricsService,
} from '../prometheus/MetricsService';
import { readPrometheusConfig } from '../prometheus/prometheusConfig';
import { readVulnerabilitiesConfig } from '../vulnerabilities/vulnerabilitiesConfig';
import {
  createVulnerabilitiesService,
  type VulnerabilitiesService,
} from '../vulnerabilities/VulnerabilitiesService';
import { builtInScanners } from '../vulnerabilities/scanners/builtInScanners';
import { cachedScanner } from '../vulnerabilities/scanners/cachedScanner';
import type { DeliveryExtensions } from '../../extensions/registerExtensionPoints';
import { createSignalCache } from './SignalCache';
import {
  createCiContributor,
  githubCiProvider,
  gitlabCiProvider,
  createSloContributor,
  createVulnerabilitiesContributor,
} from './signalContributors';
import { prefetchOperatorReports } from './prefetchOperatorReports';
import { createSignalsRouter } from './signalsRouter';
import {
  createScanTargets,
  createSignalsService,
  type SignalsService,
} from './SignalsService';

// runs of a commit change while CI is running: keep them briefly
const CI_TTL_MS = 30_000;

/** What wireSignals hands back to the plugin. @public */
export interface WiredSignals {
  router: express.Router;
  metrics: MetricsService;
  signals: SignalsService;
  /** The scanners' findings (the fleet's settled Rollouts' images). */
  vulnerabilities: VulnerabilitiesService;
}

/**
 * Reads the signal configuration once, creates the Prometheus and scanner
 * services, registers their overview summaries and returns their routes.
 */
export async function wireSignals(options: {
  config: RootConfigService;
  logger: LoggerService;
  cache: CacheService;
  httpAuth: HttpAuthService;
  argocd: ArgoCdClient;
  overviewService: OverviewService;
  /** The live-state and failure TTLs (`delivery.cache`, read once by the plugin). */
  cacheTtls: Pick<DeliveryConfig['cache'], 'liveTtlMs' | 'failureTtlMs'>;
  /** The plugin's audit trail, which marks promote/abort on the SLO charts. */
  auditStore?: Pick<AuditStore, 'list'>;
  /** The plugin's redactor, handed to every upstream client. */
  redactor?: SecretRedactor;
  /** Counts and times every upstream client's calls (delivery.<upstream>.calls). */
  upstreamMetrics?: UpstreamMetrics;
  /** What modules added through the extension points. */
  extensions?: Pick<
    DeliveryExtensions,
    'scanners' | 'metricsProviders' | 'ciProviders'
  >;
}): Promise<WiredSignals> {
  const { config, logger, argocd, overviewService, redactor } = options;
  const prometheusConfig = readPrometheusConfig(config);
  const vulnerabilitiesConfig = readVulnerabilitiesConfig(config);
  logger.info(
    `Delivery: ${prometheusConfig.instances.length} Prometheus instance(s), ${
      prometheusConfig.slos.length
    } SLO(s); scanners: ${[
      vulnerabilitiesConfig.trivy && 'trivy',
      vulnerabilitiesConfig.trivyOperator.enabled && 'trivy-operator',
      vulnerabilitiesConfig.snyk && 'snyk',
      vulnerabilitiesConfig.falco && 'falco',
      vulnerabilitiesConfig.githubSecurity && 'github code scanning/dependabot',
      ...(options.extensions?.scanners ?? []).map(s => s.id),
    ]
      .filter(Boolean)
      .join(', ')}`,
  );
  // Signals are live state too: an operator's longer TTL applies to them.
  const { liveTtlMs, failureTtlMs } = options.cacheTtls;
  // a failed scanner, Prometheus or CI read is not asked again on every view
  const cache = createSignalCache(options.cache, { failureTtlMs });
  const metrics = createMetricsService({
    config: prometheusConfig,
    cache,
    logger,
    liveTtlMs,
    redactor,
    upstreamMetrics: options.upstreamMetrics,
    providers: options.extensions?.metricsProviders,
  });
  const vulnerabilities = createVulnerabilitiesService({
    scanners: [
      ...builtInScanners(vulnerabilitiesConfig, cache, {
        redactor,
        metrics: options.upstreamMetrics,
        prometheus: prometheusConfig.instances,
        githubIntegrations: ScmIntegrations.fromConfig(config),
      }),
      ...(options.extensions?.scanners ?? []).map(s => cachedScanner(s, cache)),
    ],
    logger,
    redactor,
  });
  const auditStore = options.auditStore;
  const signals = createSignalsService({
    overviewService,
    argocd,
    metrics,
    vulnerabilities,
    logger,
    actionTrail: auditStore
      ? async query => {
          const page = await auditStore.list({ ...query, limit: 200 });
          return page.items;
        }
      : undefined,
  });
  overviewService.addContributor(createSloContributor(metrics));
  overviewService.addContributor(
    createVulnerabilitiesContributor(
      vulnerabilities,
      createScanTargets(argocd, logger),
      vulnerabilitiesConfig.trivyOperator.enabled
        ? prefetchOperatorReports(argocd)
        : undefined,
    ),
  );
  const ciConfig = readCiConfig(config);
  const ciProviders: DeliveryCiProvider[] = [];
  if (ciConfig.enabled) {
    const integrations = ScmIntegrations.fromConfig(config);
    const github = createGithubActionsClient({
      integrations,
      credentialsProvider:
        DefaultGithubCredentialsProvider.fromIntegrations(integrations),
      timeoutMs: ciConfig.timeoutMs,
      redactor,
      metrics: options.upstreamMetrics,
    });
    ciProviders.push(
      githubCiProvider((slug, sha) =>
        cache.getOrLoad<CiRunView[]>(
          `github:runs:${slug}:${sha}`,
          Math.max(CI_TTL_MS, liveTtlMs),
          () => github.runsForCommit(slug, sha),
        ),
      ),
    );
  }
  const gitlabConfig = readGitlabCiConfig(config);
  if (gitlabConfig.enabled) {
    const gitlab = createGitlabCiClient({
      integrations: ScmIntegrations.fromConfig(config),
      timeoutMs: gitlabConfig.timeoutMs,
      host: gitlabConfig.host,
      redactor,
      metrics: options.upstreamMetrics,
    });
    ciProviders.push(
      gitlabCiProvider((project, sha) =>
        cache.getOrLoad<CiRunView[]>(
          `gitlab:pipelines:${project}:${sha}`,
          Math.max(CI_TTL_MS, liveTtlMs),
          () => gitlab.runsForCommit(project, sha),
        ),
      ),
    );
  }
  // a module's CI provider: its runs kept like GitHub's
  for (const provider of options.extensions?.ciProviders ?? []) {
    ciProviders.push({
      ...provider,
      runsForCommit: (project, sha) =>
        cache.getOrLoad<CiRunView[]>(
          `ci:${provider.id}:runs:${project}:${sha}`,
          Math.max(CI_TTL_MS, liveTtlMs),
          () => provider.runsForCommit(project, sha),
        ),
    });
  }
  if (ciProviders.length > 0) {
    overviewService.addContributor(createCiContributor(ciProviders));
  }
  const router = await createSignalsRouter({
    httpAuth: options.httpAuth,
    signals,
  });
  return { router, metrics, signals, vulnerabilities };
}
