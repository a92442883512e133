import type { HttpAuthService } from '@backstage/backend-plugin-api';
import { createRoutes, type DeliveryApiRouter } from '../../schema/apiRouter';
import { parseRangeSeconds } from '../prometheus/queryWindow';
import type { SignalsService } from './SignalsService';

/**
 * Routes of the signals: `/metrics` and `/vulnerabilities` of an entity,
 * their input validated against schema/openapi.yaml.
 * @public
 */
export async function createSignalsRouter(options: {
  httpAuth: HttpAuthService;
  signals: SignalsService;
}): Promise<DeliveryApiRouter> {
  const { httpAuth, signals } = options;
  const router = createRoutes();

  router.get(
    '/v1/entities/:namespace/:kind/:name/metrics',
    async (req, res) => {
      // the spec checks the form; the minimum and the cap are ours
      const rangeSeconds = parseRangeSeconds(req.query.range);
      const credentials = await httpAuth.credentials(req, {
        allow: ['user', 'service'],
      });
      res.json(
        await signals.getMetrics(req.params, credentials, {
          environment: req.query.environment,
          rangeSeconds,
        }),
      );
    },
  );

  router.get(
    '/v1/entities/:namespace/:kind/:name/vulnerabilities',
    async (req, res) => {
      const credentials = await httpAuth.credentials(req, {
        allow: ['user', 'service'],
      });
      res.json(
        await signals.getVulnerabilities(req.params, credentials, {
          environment: req.query.environment,
        }),
      );
    },
  );

  return router;
}
