import type { HttpAuthService } from '@backstage/backend-plugin-api';
import { createRoutes, type DeliveryApiRouter } from '../schema/apiRouter';
import type { FleetService } from './FleetService';
import { parseFleetQuery } from './fleetQuery';

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
    res.json(
      await options.fleetService.getFleet(
        parseFleetQuery(req.query),
        credentials,
      ),
    );
  });
  return router;
}
