import type {
  HttpAuthService,
  LoggerService,
  RootConfigService,
} from '@backstage/backend-plugin-api';
import type {
  ActionsRegistryService,
  MetricsService,
} from '@backstage/backend-plugin-api/alpha';
import {
  DefaultGithubCredentialsProvider,
  ScmIntegrations,
} from '@backstage/integration';
import type {
  ArgoCdClient,
  SecretRedactor,
} from '@gitops-delivery/backstage-plugin-delivery-node';
import { createChangesService } from '../changes/ChangesService';
import { createGithubCompare } from '../changes/githubCompare';
import { registerWhatChangesAction } from '../changes/registerWhatChangesAction';
import type { ScanImages } from '../changes/vulnerabilityDelta';
import type { DeliveryApiRouter } from '../schema/apiRouter';
import { readCiConfig } from '../services/ci/ciConfig';
import type { OverviewService } from '../services/overview/OverviewService';
import { createDiffRouter } from './createDiffRouter';
import { createDriftService } from './DriftService';

/**
 * Builds the drift and changes services, their routes and the
 * `delivery:what-changes` action. GitHub is reached through
 * `integrations.github` (its hosts and credentials) within
 * `delivery.github.timeoutMs`, as for CI.
 */
export async function wireDiff(options: {
  config: RootConfigService;
  httpAuth: HttpAuthService;
  logger: LoggerService;
  argocd: ArgoCdClient;
  overviewService: OverviewService;
  redactor: SecretRedactor;
  scan: ScanImages;
  actionsRegistry: ActionsRegistryService;
  metrics?: MetricsService;
}): Promise<DeliveryApiRouter> {
  const integrations = ScmIntegrations.fromConfig(options.config);
  const compare = createGithubCompare({
    integrations,
    credentialsProvider:
      DefaultGithubCredentialsProvider.fromIntegrations(integrations),
    timeoutMs: readCiConfig(options.config).timeoutMs,
    redactor: options.redactor,
    metrics: options.metrics,
  });
  const drift = createDriftService(options);
  const changes = createChangesService({ ...options, compare });
  registerWhatChangesAction(options.actionsRegistry, changes);
  return createDiffRouter({ httpAuth: options.httpAuth, drift, changes });
}
