/**
 * Node library of the Delivery plugins: what backend code outside the
 * Delivery backend plugin shares with it — the Argo CD client, the config
 * and policy readers, the duration parser and the shared types.
 *
 * @packageDocumentation
 */

export {
  readArgoCdConfig,
  type ArgoCdConfig,
  type ArgoCdInstanceConfig,
} from './config/readArgoCdConfig';
export { readConfigNumber } from './config/readConfigNumber';
export {
  formatRolloutDuration,
  parseRolloutDuration,
  readConfigDurationMs,
  readDurationKey,
  type DurationNumberUnit,
  type ReadConfigDurationOptions,
  type ReadDurationKeyOptions,
} from './duration';
export { BUILT_IN_POLICY } from './policy/builtInPolicy';
export {
  isSupportedTimeZone,
  readPolicyConfig,
  type ConfiguredPolicy,
  type PolicyConfig,
} from './policy/readPolicyConfig';
export {
  BUILT_IN_GATE_SCHEMAS,
  type GateKindSchema,
} from './policy/builtInGateSchemas';

export * from './extensions';
export {
  createSecretRedactor,
  type SecretRedactor,
  type SecretRedactorOptions,
} from './redaction/secretRedactor';
export {
  callUpstream,
  createUpstreamCallMetrics,
  fetchUpstream,
  toBackstageError,
  upstreamErrorText,
  upstreamOutcomeForStatus,
  UpstreamTransportError,
  type UpstreamCallMetrics,
  type UpstreamOutcome,
  type UpstreamRequest,
  type UpstreamResponse,
} from './http/callUpstream';
export {
  createCoalescingCache,
  type CachedLoadOptions,
  type CoalescingCache,
  type CoalescingCacheLayer,
} from './cache/createCoalescingCache';
export type {
  ArgoCdClient,
  ArgoCdClientOptions,
  ArgoCdReadOptions,
  ArgoCdWriteOptions,
  ListApplicationsQuery,
  RevisionSourceSelector,
} from './argocd/ArgoCdClient';
export { createArgoCdClient } from './argocd/createArgoCdClient';
export {
  ArgoCdError,
  isArgoCdError,
  type ArgoCdErrorKind,
} from './argocd/ArgoCdError';
export { runInReadScope, scopedValue } from './argocd/readScope';
export type { ArgoCdSyncRequest, ArgoCdSyncResource } from './argocd/writes';
export type {
  ArgoCdWatchChange,
  ArgoCdWatchOptions,
  ArgoCdWatchStatus,
} from './argocd/watch/withArgoCdWatch';
export type {
  ArgoCdWatchMode,
  ArgoCdWatchQuery,
} from './argocd/watch/applicationWatch';
export type { ArgoCdWatchTiming } from './argocd/watch/timing';
export type {
  ArgoCdAppRef,
  ArgoCdApplication,
  ArgoCdApplicationList,
  ArgoCdApplicationSource,
  ArgoCdApplicationTree,
  ArgoCdDesiredApplication,
  ArgoCdDestination,
  ArgoCdManagedResource,
  ArgoCdManifests,
  ArgoCdObjectMetadata,
  ArgoCdProject,
  ArgoCdResourceAction,
  ArgoCdResourceNode,
  ArgoCdResourceRef,
  ArgoCdRevisionHistory,
  ArgoCdRevisionMetadata,
} from './argocd/types';
