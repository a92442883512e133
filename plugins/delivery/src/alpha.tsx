import {
  ApiBlueprint,
  createFrontendPlugin,
  createRouteRef,
  PageBlueprint,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/frontend-plugin-api';
import {
  EntityCardBlueprint,
  EntityContentBlueprint,
} from '@backstage/plugin-catalog-react/alpha';
import { FormFieldBlueprint } from '@backstage/plugin-scaffolder-react/alpha';
import { isDeliveryAvailable } from '@gitops-delivery/backstage-plugin-delivery-common';
import { DeliveryClient, deliveryApiRef } from './api';
import { isDoraAvailable } from './components/DoraCard/DoraCard';
import { isFleetCardAvailable } from './components/FleetCard/isFleetCardAvailable';
import FleetIcon from '@material-ui/icons/ViewModule';

/** The Delivery backend client, for the new frontend system. @alpha */
export const deliveryApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: deliveryApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: deps => new DeliveryClient(deps),
    }),
});

/** The Delivery tab, only on entities with Argo CD annotations. @alpha */
export const deliveryEntityContent = EntityContentBlueprint.make({
  params: {
    path: '/delivery',
    title: 'Delivery',
    filter: isDeliveryAvailable,
    loader: () =>
      import('./components/EntityDeliveryContent').then(m => (
        <m.EntityDeliveryContent />
      )),
  },
});

/** The Delivery card of the entity overview, only on entities with Argo CD annotations. @alpha */
export const deliveryEntityOverviewCard = EntityCardBlueprint.make({
  name: 'overview',
  params: {
    filter: isDeliveryAvailable,
    loader: () =>
      import('./components/EntityDeliveryOverviewCard').then(m => (
        <m.EntityDeliveryOverviewCard />
      )),
  },
});

/**
 * Scaffolder field `DeliveryChoicePicker`: the configured promotion policies
 * or Argo CD instances (`ui:options: { choice: policy | argocdInstance }`).
 *
 * @alpha
 */
export const deliveryChoicePickerFormField = FormFieldBlueprint.make({
  name: 'delivery-choice-picker',
  params: {
    field: () =>
      import('./scaffolder/formField').then(m => m.deliveryChoicePickerField),
  },
});

/** The DORA card of the entity overview: delivery-annotated components and systems. @alpha */
export const doraEntityCard = EntityCardBlueprint.make({
  name: 'dora',
  params: {
    filter: isDoraAvailable,
    loader: () =>
      import('./components/DoraCard/DoraCard').then(m => <m.EntityDoraCard />),
  },
});

/** Route of the fleet page (new frontend system). @alpha */
export const fleetPageRouteRef = createRouteRef();

/** The fleet page at `/delivery`, with its sidebar item. @alpha */
export const deliveryFleetPage = PageBlueprint.make({
  name: 'fleet',
  params: {
    path: '/delivery',
    title: 'Delivery',
    icon: <FleetIcon />,
    routeRef: fleetPageRouteRef,
    noHeader: true,
    loader: () => import('./components/FleetPage').then(m => <m.FleetPage />),
  },
});

/** The fleet matrix on System (its components) and Group (what it owns) pages. @alpha */
export const deliveryFleetEntityCard = EntityCardBlueprint.make({
  name: 'fleet',
  params: {
    filter: isFleetCardAvailable,
    loader: () =>
      import('./components/FleetCard/EntityFleetCard').then(m => (
        <m.EntityFleetCard />
      )),
  },
});

/**
 * The Delivery plugin for the new frontend system.
 *
 * @alpha
 */
export default createFrontendPlugin({
  pluginId: 'delivery',
  extensions: [
    deliveryApi,
    deliveryEntityContent,
    deliveryEntityOverviewCard,
    deliveryChoicePickerFormField,
    doraEntityCard,
    deliveryFleetPage,
    deliveryFleetEntityCard,
  ],
  routes: { fleet: fleetPageRouteRef },
});
