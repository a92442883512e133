import {
  createExtensionPoint,
  type BackstageCredentials,
} from '@backstage/backend-plugin-api';
import type {
  DeliveryOverview,
  SourceStatus,
} from '@gitops-delivery/backstage-plugin-delivery-common';
import type { DeliveryEntityInfo } from './entity';

/** An entity's delivery view, as contributors and observers see it. @public */
export interface DeliveryViewState {
  entity: DeliveryEntityInfo;
  overview: DeliveryOverview;
}

/**
 * Adds a part of the overview from another source. Runs after the Argo CD
 * part, in parallel with the other contributors and on its own share of
 * the overview's time budget; it may replace its environments' `summary`
 * entries and `stages` (it gets its own copy of each environment, applied
 * to the view only when it finishes in time) and returns its source
 * statuses.
 *
 * @public
 */
export interface DeliveryOverviewContributor {
  /** Name of the source, used when the contributor itself fails. */
  source: string;
  contribute(
    state: DeliveryViewState,
    context: { credentials: BackstageCredentials; deadline: number },
  ): Promise<SourceStatus[]>;
}

/**
 * Told of every overview a person opens, once its Argo CD part is read
 * (e.g. to record deployments). It adds nothing to the view: it runs next
 * to the contributors, within their time budget, and its failure is only
 * logged.
 *
 * @public
 */
export type DeliveryOverviewObserver = (
  state: DeliveryViewState,
) => Promise<void>;

/** The interface of {@link deliveryOverviewExtensionPoint}. @public */
export interface DeliveryOverviewExtensionPoint {
  addContributor(contributor: DeliveryOverviewContributor): void;
  addObserver(observer: DeliveryOverviewObserver): void;
}

/**
 * Adds overview contributors and "overview observed" hooks to the Delivery
 * backend.
 *
 * @public
 */
export const deliveryOverviewExtensionPoint =
  createExtensionPoint<DeliveryOverviewExtensionPoint>({
    id: 'delivery.overview',
  });
