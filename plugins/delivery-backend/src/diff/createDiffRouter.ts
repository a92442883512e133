import type { HttpAuthService } from '@backstage/backend-plugin-api';
import { createRoutes, type DeliveryApiRouter } from '../schema/apiRouter';
import type { DriftService } from './DriftService';

/**
 * The drift route of an entity (what differs between the cluster and Git),
 * its input validated against schema/openapi.yaml. Thin: credentials, one
 * service call, JSON.
 */
export async function createDiffRouter(options: {
  httpAuth: HttpAuthService;
  drift: DriftService;
}): Promise<DeliveryApiRouter> {
  const { httpAuth, drift } = options;
  const router = createRoutes();

  router.get('/v1/entities/:namespace/:kind/:name/drift', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    res.json(
      await drift.getDrift(req.params, credentials, {
        environment: req.query.environment,
      }),
    );
  });

  return router;
}
