import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import {
  actionsRegistryServiceRef,
  metricsServiceRef,
} from '@backstage/backend-plugin-api/alpha';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { notificationService } from '@backstage/plugin-notifications-node';
import { deliveryPermissions } from '@gitops-delivery/backstage-plugin-delivery-common';
import { createCoalescingCache } from './cache/createCoalescingCache';
import { readDeliveryConfig } from './config/readDeliveryConfig';
import { readBindingConfig } from './binding/readBindingConfig';
import { createRouter } from './router';
import { readChoices } from './config/readChoices';
import { createEntityResolver } from './services/EntityResolver/EntityResolver';
import { createArgoCdClient } from './services/argocd/ArgoCdClient';
import { createOverviewService } from './services/overview/OverviewService';
import { wireSignals } from './services/signals/wireSignals';
import { wirePolicyAndActions } from './actions/wirePolicyAndActions';
import { wireDora } from './dora/wireDora';

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
        cache: coreServices.cache,
        httpAuth: coreServices.httpAuth,
        httpRouter: coreServices.httpRouter,
        permissionsRegistry: coreServices.permissionsRegistry,
        catalog: catalogServiceRef,
        database: coreServices.database,
        permissions: coreServices.permissions,
        auditor: coreServices.auditor,
        scheduler: coreServices.scheduler,
        lifecycle: coreServices.lifecycle,
        auth: coreServices.auth,
        actionsRegistry: actionsRegistryServiceRef,
        metrics: metricsServiceRef,
        notifications: notificationService,
      },
      async init({
        config,
        logger,
        cache,
        metrics,
        httpAuth,
        httpRouter,
        permissionsRegistry,
        catalog,
        database,
        permissions,
        auditor,
        scheduler,
        lifecycle,
        auth,
        actionsRegistry,
        notifications,
      }) {
        const deliveryConfig = readDeliveryConfig(config);
        logger.info(
          `Delivery: ${deliveryConfig.argocd.instances.length} Argo CD instance(s) configured`,
        );
        permissionsRegistry.addPermissions(deliveryPermissions);

        const coalescingCache = createCoalescingCache(cache, metrics, {
          failureTtlMs: deliveryConfig.cache.failureTtlMs,
          notFoundTtlMs: deliveryConfig.cache.notFoundTtlMs,
        });
        const argocd = createArgoCdClient({
          instances: deliveryConfig.argocd.instances,
          timeoutMs: deliveryConfig.argocd.timeoutMs,
          cache: coalescingCache,
          liveTtlMs: deliveryConfig.cache.liveTtlMs,
          revisionMetadataTtlMs: deliveryConfig.cache.revisionMetadataTtlMs,
          logger,
          metrics,
        });
        const entityResolver = createEntityResolver({ catalog });
        const binding = readBindingConfig(config);
        if (!binding.required) {
          logger.warn(
            "Delivery: delivery.actions.requireBinding is false: actions (a person's or the canary guard's) reach every Argo CD Application an entity's annotations find, including Applications that do not name the entity back. Whoever can register a catalog entity can then act on other teams' rollouts.",
          );
        }
        const overviewService = createOverviewService({
          config: deliveryConfig,
          argocd,
          entityResolver,
          logger,
          binding,
        });

        // before the first overview: it registers the signals' summaries
        const signals = await wireSignals({
          config,
          logger,
          cache,
          httpAuth,
          argocd,
          overviewService,
          database,
        });

        httpRouter.use(
          await createRouter({
            httpAuth,
            entityResolver,
            overviewService,
            choices: readChoices(config, deliveryConfig),
          }),
        );
        httpRouter.use(signals.router);
        httpRouter.use(
          await wirePolicyAndActions({
            config,
            logger,
            cache,
            httpAuth,
            catalog,
            database,
            permissions,
            auditor,
            scheduler,
            lifecycle,
            auth,
            actionsRegistry,
            argocd,
            entityResolver,
            overviewService,
            metrics: signals.metrics,
            backstageMetrics: metrics,
            vulnerabilities: request =>
              signals.signals.vulnerabilitiesOf(request),
            notifications,
          }),
        );
        // after wirePolicyAndActions: it runs the plugin's migrations
        httpRouter.use(
          await wireDora({
            config,
            logger,
            cache,
            database,
            httpAuth,
            catalog,
            auth,
            scheduler,
            entityResolver,
            overviewService,
          }),
        );
      },
    });
  },
});
