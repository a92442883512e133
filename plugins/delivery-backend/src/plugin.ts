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
import { signalsServiceRef } from '@backstage/plugin-signals-node';
import { deliveryPermissions } from '@gitops-delivery/backstage-plugin-delivery-common';
import {
  createCoalescingCache,
  createArgoCdClient,
  readPolicyConfig,
} from '@gitops-delivery/backstage-plugin-delivery-node';
import { readDeliveryConfig } from './config/readDeliveryConfig';
import { readBindingConfig } from './binding/readBindingConfig';
import { createRouter } from './router';
import { createApiRouter } from './schema/apiRouter';
import { readChoices } from './config/readChoices';
import { createEntityResolver } from './services/EntityResolver/EntityResolver';
import { createOverviewService } from './services/overview/OverviewService';
import { wireSignals } from './services/signals/wireSignals';
import { wirePolicyAndActions } from './actions/wirePolicyAndActions';
import { wireGitopsRollback } from './applicationActions/gitops/wireGitopsRollback';
import { wireDora } from './dora/wireDora';
import { readDoraConfig } from './dora/readDoraConfig';
import { readActionsConfig } from './actions/readActionsConfig';
import { readRetentionConfig } from './audit/readRetentionConfig';
import { openDeliveryStores } from './openDeliveryStores';
import { createArgoCdChangeHub } from './services/live/changeFeed';
import { readWatchConfig } from './services/live/readWatchConfig';
import { readLiveSignalsConfig } from './live/readLiveConfig';
import { wireLiveSignals } from './live/wireLiveSignals';
import { tapContributors } from './fleet/fleetSignalSummary';
import { wireFleet } from './fleet/wireFleet';
import { readFleetConfig } from './fleet/readFleetConfig';
import { wireDiff } from './diff/wireDiff';
import { createPluginRedaction } from './redaction/pluginRedaction';
import { redactErrors } from './redaction/redactErrors';
import { registerConfiguredSecrets } from './redaction/registerConfiguredSecrets';
import { registerDeliveryExtensionPoints } from './extensions/registerExtensionPoints';
import { BUILT_IN_EXTENSION_IDS } from './extensions/builtInExtensionIds';
import { gateKindsOf } from './policy/evaluatePolicy';

/**
 * The Delivery backend plugin: pipeline stages, canary status, signals,
 * promotion policy and audited actions for catalog entities.
 *
 * @public
 */
export const deliveryPlugin = createBackendPlugin({
  pluginId: 'delivery',
  register(env) {
    // what modules add is in `extensions` by the time init runs
    const extensions = registerDeliveryExtensionPoints(
      env,
      BUILT_IN_EXTENSION_IDS,
    );
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
        // has a default (over the events service): the plugin starts, and
        // publishes to no one, where the signals plugin is not installed
        signals: signalsServiceRef,
      },
      async init({
        config,
        logger: pluginLogger,
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
        signals: signalsService,
      }) {
        // Every credential is registered with the redactor when a client
        // reads or obtains it; every log line and error body passes it.
        const { redactor, logger } = createPluginRedaction(pluginLogger);
        registerConfiguredSecrets(redactor, config);
        // every route below is mounted on the router built from
        // schema/openapi.yaml, which validates each request before a handler
        const routes = await createApiRouter();
        permissionsRegistry.addPermissions(deliveryPermissions);

        // configuration, read once; a bad value stops start-up naming its key
        // (readDeliveryConfig logs which Argo CD block it read)
        const deliveryConfig = readDeliveryConfig(config, { logger });
        const policyConfig = readPolicyConfig(config, {
          gateKinds: extensions.gateKinds,
        });
        const actionsConfig = readActionsConfig(config);
        const doraConfig = readDoraConfig(config);
        const retention = readRetentionConfig(config);
        const binding = readBindingConfig(config);
        if (!binding.required) {
          logger.warn(
            "Delivery: delivery.actions.requireBinding is false: actions (a person's or the canary guard's) reach every Argo CD Application an entity's annotations find, including Applications that do not name the entity back. Whoever can register a catalog entity can then act on other teams' rollouts.",
          );
        }

        // the plugin's tables, migrated before any store over them exists
        const stores = await openDeliveryStores(database);

        const coalescingCache = createCoalescingCache(cache, metrics, {
          failureTtlMs: deliveryConfig.cache.failureTtlMs,
          notFoundTtlMs: deliveryConfig.cache.notFoundTtlMs,
        });
        const argocdChanges = createArgoCdChangeHub({
          onListenerError: error =>
            logger.warn(`Delivery: a change listener failed: ${error}`),
        });
        const argocd = createArgoCdClient({
          instances: deliveryConfig.argocd.instances,
          timeoutMs: deliveryConfig.argocd.timeoutMs,
          cache: coalescingCache,
          liveTtlMs: deliveryConfig.cache.liveTtlMs,
          revisionMetadataTtlMs: deliveryConfig.cache.revisionMetadataTtlMs,
          logger,
          metrics,
          redactor,
          // Argo CD's streams keep its state current (delivery.argocd.watch)
          watch: {
            ...readWatchConfig(config),
            onChange: argocdChanges.publish,
          },
        });
        lifecycle.addShutdownHook(async () => {
          await argocd.stopWatching?.();
        });
        const entityResolver = createEntityResolver({ catalog });
        // open tabs are told of changes (Argo CD's, and each audit record)
        const live = wireLiveSignals({
          config: readLiveSignalsConfig(config),
          signals: signalsService,
          catalog,
          auth,
          cache,
          logger,
          lifecycle,
          instanceNames: argocd.instanceNames,
          audit: stores.audit,
          changes: argocdChanges,
        });
        // the fleet page runs the overview's contributors over what it reads
        const tapped = tapContributors(
          createOverviewService({
            config: deliveryConfig,
            argocd,
            entityResolver,
            logger,
            binding,
          }),
        );
        const overviewService = tapped.service;

        // registers the SLO, scan and CI summaries with the overview
        const signals = await wireSignals({
          config,
          logger,
          cache,
          httpAuth,
          argocd,
          overviewService,
          cacheTtls: deliveryConfig.cache,
          auditStore: live.audit,
          redactor,
          upstreamMetrics: metrics,
          extensions,
        });
        // a rollback of an auto-synced Application: a pull request, tracked
        const gitops = wireGitopsRollback({
          config,
          logger,
          redactor,
          store: live.audit,
          metrics,
        });
        const policyAndActions = await wirePolicyAndActions({
          logger,
          httpAuth,
          catalog,
          permissions,
          auditor,
          scheduler,
          lifecycle,
          auth,
          actionsRegistry,
          argocd,
          entityResolver,
          overviewService,
          store: live.audit,
          lock: stores.lock,
          actionsConfig,
          policyConfig,
          retention,
          metrics: signals.metrics,
          backstageMetrics: metrics,
          vulnerabilities: request =>
            signals.signals.vulnerabilitiesOf(request),
          notifications,
          gateKinds: gateKindsOf(extensions.gateKinds),
          gitops,
        });
        const dora = await wireDora({
          config: doraConfig,
          logger,
          cache,
          httpAuth,
          catalog,
          auth,
          scheduler,
          entityResolver,
          overviewService,
          deployments: stores.deployments,
          audit: live.audit,
        });
        // the overview's further parts, after the signals': the modules',
        // then the policy verdict; and who is told of each overview
        for (const contributor of [
          ...extensions.contributors,
          policyAndActions.contributor,
          gitops.tracker,
        ]) {
          overviewService.addContributor(contributor);
        }
        for (const observer of [
          ...extensions.observers,
          dora.observer,
          live.observer,
        ]) {
          overviewService.addObserver(observer);
        }

        routes.use(
          await createRouter({
            httpAuth,
            entityResolver,
            overviewService,
            choices: readChoices(policyConfig, deliveryConfig),
          }),
        );
        routes.use(signals.router);
        routes.use(policyAndActions.router);
        routes.use(dora.router);
        routes.use(
          wireFleet({
            httpAuth,
            cache,
            catalog,
            deployments: stores.deployments,
            logger,
            argocd,
            config: deliveryConfig,
            binding,
            contributors: tapped.contributors,
            vulnerabilities: signals.vulnerabilities,
            fleet: readFleetConfig(config),
          }),
        );
        // drift and what a promotion changes, read like the overview
        routes.use(
          await wireDiff({
            config,
            httpAuth,
            logger,
            argocd,
            overviewService,
            redactor,
            actionsRegistry,
            metrics,
            scan: request => signals.signals.vulnerabilitiesOf(request),
          }),
        );
        // last: whatever a route throws is redacted before Backstage's error
        // middleware serializes and logs it
        routes.use(redactErrors(redactor));
        httpRouter.use(routes);
      },
    });
  },
});
