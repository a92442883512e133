import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { deliveryPermissions } from '@gitops-delivery/backstage-plugin-delivery-common';
import { readDeliveryConfig } from './config/readDeliveryConfig';
import { createRouter } from './router';
import { createEntityResolver } from './services/EntityResolver/EntityResolver';

/**
 * The Delivery backend plugin: pipeline stages, canary status, signals,
 * promotion policy and audited actions for catalog entities.
 *
 * @public
 */
export const deliveryPlugin = createBackendPlugin({
  pluginId: 'delivery',
  register(env) {
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        httpAuth: coreServices.httpAuth,
        httpRouter: coreServices.httpRouter,
        permissionsRegistry: coreServices.permissionsRegistry,
        catalog: catalogServiceRef,
      },
      async init({
        config,
        logger,
        httpAuth,
        httpRouter,
        permissionsRegistry,
        catalog,
      }) {
        const deliveryConfig = readDeliveryConfig(config);
        logger.info(
          `Delivery: ${deliveryConfig.argocd.instances.length} Argo CD instance(s) configured`,
        );
        permissionsRegistry.addPermissions(deliveryPermissions);
        httpRouter.use(
          await createRouter({
            httpAuth,
            entityResolver: createEntityResolver({ catalog }),
          }),
        );
      },
    });
  },
});
