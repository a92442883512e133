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
export type { ArgoCdApi } from './argocd/ArgoCdApiClient';
export type {
  ArgoCdApplication,
  ArgoCdDestination,
  ArgoCdMetadata,
  ArgoCdProject,
} from './argocd/types';
export type {
  ApplicationOperation,
  ProjectOperation,
} from './argocd/applyApplication';
export type { ArgoCdInstance } from './config/readArgoCdInstances';
export type { RolloutViolation } from './policy/checkRollout';
