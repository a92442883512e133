import {
  BUILT_IN_GATE_SCHEMAS,
  type GateInput,
  type GateKindDefinition,
  type GateVerdict,
  type PolicyGate,
} from '@gitops-delivery/backstage-plugin-delivery-node';
import type { GateDefinition } from '@gitops-delivery/backstage-plugin-delivery-common';
import { analysisGate } from './analysisGate';
import { canaryVsStableGate } from './canaryVsStableGate';
import { changeWindowGate } from './changeWindowGate';
import { inSyncGate } from './inSyncGate';
import { sloGate } from './sloGate';
import { securityGate } from './securityGate';
import { soakGate } from './soakGate';
import { upstreamEnvironmentGate } from './upstreamEnvironmentGate';
import { vulnerabilitiesGate } from './vulnerabilitiesGate';

type Evaluate = (gate: never, input: GateInput) => GateVerdict;

/** Each built-in kind's gate function; the reader validated its config. */
const EVALUATE: Record<GateDefinition['kind'], Evaluate> = {
  vulnerabilities: vulnerabilitiesGate,
  slo: sloGate,
  soak: soakGate,
  analysis: analysisGate,
  'upstream-environment': upstreamEnvironmentGate,
  'in-sync': inSyncGate,
  'change-window': changeWindowGate,
  'canary-vs-stable': canaryVsStableGate,
  security: securityGate,
};

/** What the built-in kinds read besides the Argo CD state. */
const READS: Partial<
  Record<GateDefinition['kind'], GateKindDefinition['reads']>
> = {
  vulnerabilities: ['images'],
  slo: ['slos'],
  'canary-vs-stable': ['slos'],
  security: ['security'],
};

/** The built-in gate kinds, registered like the ones modules add. */
export const BUILT_IN_GATE_KINDS: ReadonlyArray<GateKindDefinition> =
  BUILT_IN_GATE_SCHEMAS.map(schema => {
    const kind = schema.kind as GateDefinition['kind'];
    return {
      ...schema,
      reads: READS[kind],
      evaluate: (gate: PolicyGate, input: GateInput) =>
        EVALUATE[kind](gate as never, input),
    };
  });
