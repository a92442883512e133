import type {
  HttpAuthService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import type {
  ArgoCdClient,
  SecretRedactor,
} from '@gitops-delivery/backstage-plugin-delivery-node';
import type { DeliveryApiRouter } from '../schema/apiRouter';
import type { OverviewService } from '../services/overview/OverviewService';
import { createDiffRouter } from './createDiffRouter';
import { createDriftService } from './DriftService';

/** Builds the drift service and its route. */
export async function wireDiff(options: {
  httpAuth: HttpAuthService;
  logger: LoggerService;
  argocd: ArgoCdClient;
  overviewService: OverviewService;
  redactor: SecretRedactor;
}): Promise<DeliveryApiRouter> {
  const drift = createDriftService(options);
  return createDiffRouter({ httpAuth: options.httpAuth, drift });
}
