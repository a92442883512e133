import type { AuthService, LoggerService } from '@backstage/backend-plugin-api';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import { listDeliveryEntities } from '../services/EntityResolver/listDeliveryEntities';
import type { OverviewService } from '../services/overview/OverviewService';
import type { DeploymentRecorder } from './DeploymentRecorder';

/** What one run of the recorder did. */
export interface RecorderRun {
  entities: number;
  errors: string[];
}

/**
 * One run of the deployment recorder: reads every delivery-annotated
 * entity's Argo CD state as the plugin's service principal and records
 * what it shows. Argo CD keeps about ten history entries per Application;
 * a team deploying dozens of times a day would lose history between two
 * page views, so this runs on a schedule (SchedulerService, global scope:
 * one replica per tick).
 */
export async function recordDeploymentsOnce(options: {
  catalog: CatalogService;
  auth: AuthService;
  overviewService: Pick<OverviewService, 'getDeliveryState'>;
  recorder: DeploymentRecorder;
  logger: LoggerService;
}): Promise<RecorderRun> {
  const { catalog, auth, overviewService, recorder } = options;
  const credentials = await auth.getOwnServiceCredentials();
  const run: RecorderRun = { entities: 0, errors: [] };
  for (const ref of await listDeliveryEntities(catalog, credentials)) {
    try {
      const state = await overviewService.getDeliveryState(ref, credentials, {
        contributors: false,
      });
      await recorder.record(state);
      run.entities += 1;
    } catch (error) {
      const message = `${ref.kind}:${ref.namespace}/${ref.name}: ${
        error instanceof Error ? error.message : String(error)
      }`;
      run.errors.push(message);
      options.logger.warn(`Deployment recorder: ${message}`);
    }
  }
  return run;
}
