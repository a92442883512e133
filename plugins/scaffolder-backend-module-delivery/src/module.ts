import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import { createArgoCdApplicationAction } from './actions/createApplication';
import { createValidatePolicyAction } from './actions/validatePolicy';

/**
 * Registers the Delivery scaffolder actions `delivery:argocd:create-application`
 * and `delivery:policy:validate`.
 *
 * @public
 */
export const scaffolderModuleDelivery = createBackendModule({
  pluginId: 'scaffolder',
  moduleId: 'delivery',
  register({ registerInit }) {
    registerInit({
      deps: {
        scaffolderActions: scaffolderActionsExtensionPoint,
        config: coreServices.rootConfig,
      },
      async init({ scaffolderActions, config }) {
        scaffolderActions.addActions(
          createArgoCdApplicationAction({ config }),
          createValidatePolicyAction({ config }),
        );
      },
    });
  },
});
