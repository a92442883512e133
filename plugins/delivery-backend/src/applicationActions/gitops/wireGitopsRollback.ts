import type {
  LoggerService,
  RootConfigService,
} from '@backstage/backend-plugin-api';
import type { MetricsService } from '@backstage/backend-plugin-api/alpha';
import {
  DefaultGithubCredentialsProvider,
  ScmIntegrations,
} from '@backstage/integration';
import type { SecretRedactor } from '@gitops-delivery/backstage-plugin-delivery-node';
import type { AuditStore } from '../../audit/AuditStore';
import { readCiConfig } from '../../services/ci/ciConfig';
import type { OverviewContributor } from '../../services/overview/OverviewService';
import {
  createGithubGitopsRepository,
  type GitopsRepository,
} from './githubRestore';
import { createRollbackTracker } from './rollbackTracker';

/** The GitOps rollback's parts, for the application actions and the overview. */
export interface WiredGitopsRollback {
  repository: GitopsRepository;
  /** `app.baseUrl`, which the pull request's link to the audit record starts with. */
  appBaseUrl?: string;
  /** Tracks each rollback's pull request on the overview (`summary.rollbacks`). */
  tracker: OverviewContributor;
}

/**
 * The GitOps rollback over GitHub: `integrations.github` (hosts and
 * credentials, through @backstage/integration) within
 * `delivery.github.timeoutMs`, as for CI and compare.
 */
export function wireGitopsRollback(options: {
  config: RootConfigService;
  logger: LoggerService;
  redactor: SecretRedactor;
  store: AuditStore;
  metrics?: MetricsService;
}): WiredGitopsRollback {
  const integrations = ScmIntegrations.fromConfig(options.config);
  const repository = createGithubGitopsRepository({
    integrations,
    credentialsProvider:
      DefaultGithubCredentialsProvider.fromIntegrations(integrations),
    timeoutMs: readCiConfig(options.config).timeoutMs,
    redactor: options.redactor,
    metrics: options.metrics,
  });
  return {
    repository,
    appBaseUrl: options.config.getOptionalString('app.baseUrl'),
    tracker: createRollbackTracker({
      store: options.store,
      repository,
      logger: options.logger,
    }),
  };
}
