import { createExtensionPoint } from '@backstage/backend-plugin-api';
import type { CiRunView } from '@gitops-delivery/backstage-plugin-delivery-common';
import type { DeliveryEntityInfo } from './entity';

/**
 * A CI system whose runs of the deployed commit fill the overview's CI
 * stage. The first provider that finds a project for the entity answers.
 *
 * @public
 */
export interface DeliveryCiProvider {
  /** Source name in responses, e.g. `github`, `gitlab`; unique among providers. */
  id: string;
  /** The entity's project in this CI system (from its annotations), if any. */
  projectOf(entity: DeliveryEntityInfo): string | undefined;
  /** What the entity lacks when no provider finds a project, e.g. the annotation. */
  missingProjectMessage: string;
  /** The runs (pipelines) of a commit, newest first, each with its jobs. */
  runsForCommit(project: string, sha: string): Promise<CiRunView[]>;
}

/** The interface of {@link deliveryCiProvidersExtensionPoint}. @public */
export interface DeliveryCiProvidersExtensionPoint {
  addCiProvider(provider: DeliveryCiProvider): void;
}

/**
 * Adds CI providers to the Delivery backend. GitHub Actions and GitLab CI
 * are registered through it too.
 *
 * @public
 */
export const deliveryCiProvidersExtensionPoint =
  createExtensionPoint<DeliveryCiProvidersExtensionPoint>({
    id: 'delivery.ci-providers',
  });
