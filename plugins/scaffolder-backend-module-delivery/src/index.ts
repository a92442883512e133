/**
 * Scaffolder actions of the Delivery plugins: create or update Argo CD
 * Applications, and check a generated Rollout against a promotion policy.
 *
 * @packageDocumentation
 */

export { scaffolderModuleDelivery as default } from './module';
export {
  createArgoCdApplicationAction,
  type CreateArgoCdApplicationActionOptions,
  type CreateArgoCdApplicationInput,
  type CreateArgoCdApplicationOutput,
} from './actions/createApplication';
export { createValidatePolicyAction } from './actions/validatePolicy';
export type { ArgoCdApi } from './argocd/argoCdApi';
export type {
  ArgoCdDesiredApplication as ArgoCdApplication,
  ArgoCdDestination,
  ArgoCdObjectMetadata as ArgoCdMetadata,
  ArgoCdProject,
} from '@gitops-delivery/backstage-plugin-delivery-node';
export type {
  ApplicationOperation,
  ProjectOperation,
} from './argocd/applyApplication';
export type { ArgoCdInstanceConfig as ArgoCdInstance } from '@gitops-delivery/backstage-plugin-delivery-node';
export type { RolloutViolation } from './policy/checkRollout';
