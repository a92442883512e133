import { createRouteRef } from '@backstage/core-plugin-api';

/** Route of the fleet page (legacy frontend system). @public */
export const fleetRouteRef = createRouteRef({ id: 'delivery-fleet' });
