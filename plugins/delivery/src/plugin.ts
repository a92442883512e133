import {
  createApiFactory,
  createComponentExtension,
  createPlugin,
  createRoutableExtension,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import { createScaffolderFieldExtension } from '@backstage/plugin-scaffolder-react';
import { DeliveryClient, deliveryApiRef } from './api';
import { DeliveryChoicePicker } from './scaffolder';
import { fleetRouteRef } from './components/FleetPage/routes';

/**
 * The Delivery frontend plugin (legacy frontend system).
 *
 * @public
 */
export const deliveryPlugin = createPlugin({
  id: 'delivery',
  routes: { fleet: fleetRouteRef },
  apis: [
    createApiFactory({
      api: deliveryApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: deps => new DeliveryClient(deps),
    }),
  ],
});

/**
 * The Delivery tab for entity pages; use with `isDeliveryAvailable`.
 *
 * @public
 */
export const EntityDeliveryContent = deliveryPlugin.provide(
  createComponentExtension({
    name: 'EntityDeliveryContent',
    component: {
      lazy: () =>
        import('./components/EntityDeliveryContent').then(
          m => m.EntityDeliveryContent,
        ),
    },
  }),
);

/**
 * The Delivery card for the entity overview page; use with `isDeliveryAvailable`.
 *
 * @public
 */
export const EntityDeliveryOverviewCard = deliveryPlugin.provide(
  createComponentExtension({
    name: 'EntityDeliveryOverviewCard',
    component: {
      lazy: () =>
        import('./components/EntityDeliveryOverviewCard').then(
          m => m.EntityDeliveryOverviewCard,
        ),
    },
  }),
);

/**
 * Scaffolder field `DeliveryChoicePicker`: the promotion policies
 * (`ui:options: { choice: policy }`) or Argo CD instances
 * (`choice: argocdInstance`) the Delivery backend is configured with. Legacy
 * apps list it under `<ScaffolderFieldExtensions>`.
 *
 * @public
 */
export const DeliveryChoicePickerFieldExtension = deliveryPlugin.provide(
  createScaffolderFieldExtension({
    name: 'DeliveryChoicePicker',
    component: DeliveryChoicePicker,
  }),
);

/**
 * The DORA card (deployment frequency, lead time, change failure rate, time
 * to restore) for the overview page of a delivery-annotated component or a
 * System; use with `isDoraAvailable`.
 *
 * @public
 */
export const EntityDoraCard = deliveryPlugin.provide(
  createComponentExtension({
    name: 'EntityDoraCard',
    component: {
      lazy: () =>
        import('./components/DoraCard/DoraCard').then(m => m.EntityDoraCard),
    },
  }),
);

/**
 * The fleet page: what is deployed where, for the delivery-annotated
 * components the user can see (their own groups' by default). Mount it at
 * `/delivery`.
 *
 * @public
 */
export const DeliveryFleetPage = deliveryPlugin.provide(
  createRoutableExtension({
    name: 'DeliveryFleetPage',
    component: () => import('./components/FleetPage').then(m => m.FleetPage),
    mountPoint: fleetRouteRef,
  }),
);

/**
 * The fleet matrix of a System's components or of what a Group owns; use
 * with `isFleetCardAvailable`.
 *
 * @public
 */
export const EntityFleetCard = deliveryPlugin.provide(
  createComponentExtension({
    name: 'EntityFleetCard',
    component: {
      lazy: () =>
        import('./components/FleetCard/EntityFleetCard').then(
          m => m.EntityFleetCard,
        ),
    },
  }),
);
