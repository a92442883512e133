import type { HttpAuthService } from '@backstage/backend-plugin-api';
import type { ChangesService } from '../changes/ChangesService';
import { createRoutes, type DeliveryApiRouter } from '../schema/apiRouter';
import type { DriftService } from './DriftService';

/**
 * The drift route of an entity (what differs between the cluster and Git)
 * and its changes route (what a promotion changes), their input validated
 * against schema/openapi.yaml. Thin: credentials, one service call, JSON.
 */
export async function createDiffRouter(options: {
  httpAuth: HttpAuthService;
  drift: DriftService;
  changes: ChangesService;
}): Promise<DeliveryApiRouter> {
  const { httpAuth, drift, changes } = options;
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

  router.get(
    '/v1/entities/:namespace/:kind/:name/changes',
    async (req, res) => {
      const credentials = await httpAuth.credentials(req, {
        allow: ['user', 'service'],
      });
      res.json(
        await changes.getChanges(req.params, credentials, {
          from: req.query.from,
          to: req.query.to,
        }),
      );
    },
  );

  return router;
}
