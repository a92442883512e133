import type { HttpAuthService } from '@backstage/backend-plugin-api';
import { createRoutes, type DeliveryApiRouter } from '../schema/apiRouter';
import type { FleetService } from './FleetService';
import { parseFleetQuery } from './fleetQuery';
import { sendJsonOnce } from './fleetResponseBody';

/** The fleet route: validated input (schema/openapi.yaml), one service call, JSON. */
export function createFleetRouter(options: {
  httpAuth: HttpAuthService;
  fleetService: FleetService;
}): DeliveryApiRouter {
  const router = createRoutes();
  router.get('/v1/fleet', async (req, res) => {
    // the rows are the catalog as the caller sees it: the service reads it
    // with the caller's credentials
    const credentials = await options.httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const fleet = await options.fleetService.getFleet(
      parseFleetQuery(req.query),
      credentials,
    );
    // a warm refresh serves a kept answer's body as serialized before
    sendJsonOnce(req, res, fleet);
  });
  return router;
}
