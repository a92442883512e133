import type { HttpAuthService } from '@backstage/backend-plugin-api';
import type { DoraWindowDays } from '@gitops-delivery/backstage-plugin-delivery-common';
import { createRoutes, type DeliveryApiRouter } from '../schema/apiRouter';
import type { DoraService } from './DoraService';

const WINDOWS: Record<'7d' | '30d' | '90d', DoraWindowDays> = {
  '7d': 7,
  '30d': 30,
  '90d': 90,
};

/** The DORA route: validated input (schema/openapi.yaml), one service call, JSON. */
export function createDoraRouter(options: {
  httpAuth: HttpAuthService;
  doraService: DoraService;
}): DeliveryApiRouter {
  const router = createRoutes();
  router.get('/v1/entities/:namespace/:kind/:name/dora', async (req, res) => {
    // reading follows the catalog's read permission: the service loads the
    // entity (and a system's components) with the caller's credentials
    const credentials = await options.httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    res.json(
      await options.doraService.getDora(req.params, credentials, {
        windowDays: WINDOWS[req.query.window ?? '30d'],
        environment: req.query.environment,
      }),
    );
  });
  return router;
}
