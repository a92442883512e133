import type { HttpAuthService } from '@backstage/backend-plugin-api';
import type { DeliveryChoices } from '@gitops-delivery/backstage-plugin-delivery-common';
import { createRoutes, type DeliveryApiRouter } from './schema/apiRouter';
import { ifNoneMatchHits, overviewEtag } from './live/overviewEtag';
import type { EntityResolver } from './services/EntityResolver/EntityResolver';
import type { OverviewService } from './services/overview/OverviewService';

/** Dependencies of the router. */
export interface RouterOptions {
  httpAuth: HttpAuthService;
  entityResolver: EntityResolver;
  overviewService: OverviewService;
  /** The configured policies and Argo CD instances, by name. */
  choices: DeliveryChoices;
}

/**
 * The choices, annotations and overview routes, mounted by the plugin on
 * the router of createApiRouter, which validates their requests against the
 * spec. Thin: validated input, one service call, JSON.
 */
export async function createRouter(
  options: RouterOptions,
): Promise<DeliveryApiRouter> {
  const { httpAuth, entityResolver, overviewService, choices } = options;
  const router = createRoutes();

  // What templates may pick (the scaffolder's DeliveryChoicePicker): names
  // of the configured policies and Argo CD instances, never URLs or secrets.
  router.get('/v1/choices', async (req, res) => {
    await httpAuth.credentials(req, { allow: ['user', 'service'] });
    res.json(choices);
  });

  router.get(
    '/v1/entities/:namespace/:kind/:name/annotations',
    async (req, res) => {
      const credentials = await httpAuth.credentials(req, {
        allow: ['user', 'service'],
      });
      const { entityRef, annotations, warnings } = await entityResolver.resolve(
        req.params,
        credentials,
      );
      res.json({ entityRef, annotations, warnings });
    },
  );

  router.get(
    '/v1/entities/:namespace/:kind/:name/overview',
    async (req, res) => {
      const credentials = await httpAuth.credentials(req, {
        allow: ['user', 'service'],
      });
      const overview = await overviewService.getOverview(
        req.params,
        credentials,
      );
      // a refetch after a change signal, or a poll, of an unchanged view
      // answers 304 without a body; the tag is the same on every replica
      const etag = overviewEtag(overview);
      res.setHeader('ETag', etag);
      res.setHeader('Cache-Control', 'private, no-cache');
      if (ifNoneMatchHits(req.header('if-none-match'), etag)) {
        res.status(304).end();
        return;
      }
      res.json(overview);
    },
  );

  return router;
}
