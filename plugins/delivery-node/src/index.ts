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
  type ReadConfigDurationOptions,
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
