import type {
  BackstageCredentials,
  LoggerService,
} from '@backstage/backend-plugin-api';
import type {
  ApplicationView,
  DriftApplication,
  DriftResponse,
} from '@gitops-delivery/backstage-plugin-delivery-common';
import type {
  ArgoCdClient,
  SecretRedactor,
} from '@gitops-delivery/backstage-plugin-delivery-node';
import type { EntityRefParams } from '../services/EntityResolver/EntityResolver';
import type { OverviewService } from '../services/overview/OverviewService';
import { environmentOf } from '../services/signals/SignalsService';
import { driftOf } from './driftOf';
import { redactResponse } from './redactResponse';

/** What differs between the cluster and Git for an entity's environment. @public */
export interface DriftService {
  getDrift(
    ref: EntityRefParams,
    credentials: BackstageCredentials,
    query: { environment: string },
  ): Promise<DriftResponse>;
}

function causeOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Creates the DriftService. The entity is read as the caller (the
 * catalog's permissions apply, as for the overview); only Applications
 * Argo CD does not report Synced are read, each on its own, so one that
 * fails leaves the others answered.
 */
export function createDriftService(options: {
  overviewService: OverviewService;
  argocd: ArgoCdClient;
  logger: LoggerService;
  redactor: SecretRedactor;
}): DriftService {
  const { overviewService, argocd, logger, redactor } = options;

  async function applicationDrift(
    app: ApplicationView,
  ): Promise<DriftApplication> {
    const base = {
      instance: app.instance,
      name: app.name,
      ...(app.appNamespace ? { appNamespace: app.appNamespace } : {}),
      sync: app.sync.status,
    };
    if (app.sync.status === 'Synced') {
      return { ...base, state: 'in-sync', resources: [] };
    }
    try {
      const managed = await argocd.getManagedResources(app.instance, {
        name: app.name,
        appNamespace: app.appNamespace,
        project: app.project,
      });
      return { ...base, state: 'drifted', resources: driftOf(managed) };
    } catch (error) {
      logger.warn(
        `Delivery: managed resources of ${app.instance}/${app.name}: ${causeOf(
          error,
        )}`,
      );
      return { ...base, state: 'error', error: causeOf(error), resources: [] };
    }
  }

  return {
    async getDrift(ref, credentials, query) {
      const state = await overviewService.getDeliveryState(ref, credentials, {
        contributors: false,
      });
      const environment = environmentOf(state, query.environment);
      const applications = await Promise.all(
        environment.applications.map(applicationDrift),
      );
      return redactResponse(redactor, {
        entityRef: state.overview.entityRef,
        environment: environment.name,
        applications,
      });
    },
  };
}
