import type { Config } from '@backstage/config';
import { BUILT_IN_POLICY_NAME } from '@gitops-delivery/backstage-plugin-delivery-common';
import { z } from 'zod/v3';
import type { PolicyGate } from '../extensions/gateKinds';
import { BUILT_IN_POLICY } from './builtInPolicy';
import {
  BUILT_IN_GATE_SCHEMAS,
  type GateKindSchema,
} from './builtInGateSchemas';

export { isSupportedTimeZone } from './timeZone';

/** The configured policies, read once at start-up. @public */
export interface PolicyConfig {
  /** Every policy by name, the built-in `default` included. */
  policies: Map<string, ConfiguredPolicy>;
  /** Policy used when an entity names none. */
  defaultPolicy: string;
}

const POLICY_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const base = {
  name: z.string().min(1).max(100).optional(),
  onUnknown: z.enum(['fail', 'pass']).default('fail'),
};

/** A policy whose gates may be of any registered kind. @public */
export interface ConfiguredPolicy {
  name: string;
  description?: string;
  gates: PolicyGate[];
}

/** The policy schema over the built-in gate kinds plus the given ones. */
function policySchema(kinds: ReadonlyArray<GateKindSchema>) {
  const seen = new Set<string>();
  const options = [...BUILT_IN_GATE_SCHEMAS, ...kinds].map(k => {
    if (seen.has(k.kind)) {
      throw new Error(`The gate kind "${k.kind}" is registered twice`);
    }
    seen.add(k.kind);
    const kind = z.literal(k.kind);
    // the common keys first (as errors list them) and never overridden
    const shape = { ...base, kind, ...k.configSchema(z) };
    return z.object(Object.assign(shape, base, { kind })).strict();
  });
  const gate = z.discriminatedUnion(
    'kind',
    options as unknown as [
      z.ZodDiscriminatedUnionOption<'kind'>,
      ...z.ZodDiscriminatedUnionOption<'kind'>[],
    ],
  );
  return z
    .object({
      description: z.string().optional(),
      gates: z.array(gate).min(1),
    })
    .strict();
}

/**
 * Reads `delivery.policies` and `delivery.defaultPolicy`. A configuration
 * error stops start-up with a message naming the key, so a typo never
 * silently weakens a policy.
 *
 * @public
 */
export function readPolicyConfig(
  config: Config,
  options: {
    /** Gate kinds modules registered, besides the built-in ones. */
    gateKinds?: ReadonlyArray<GateKindSchema>;
  } = {},
): PolicyConfig {
  const policy = policySchema(options.gateKinds ?? []);
  const policies = new Map<string, ConfiguredPolicy>([
    [BUILT_IN_POLICY_NAME, BUILT_IN_POLICY],
  ]);
  const raw = config.getOptionalConfig('delivery.policies');
  for (const name of raw?.keys() ?? []) {
    const key = `delivery.policies.${name}`;
    if (!POLICY_NAME.test(name)) {
      throw new Error(
        `${key}: a policy name must be lower-case letters, digits and dashes`,
      );
    }
    const parsed = policy.safeParse(raw!.get(name));
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new Error(
        `${[key, ...issue.path].join('.')}: ${issue.message}`.replace(
          /\.(\d+)(?=[.:])/g,
          '[$1]',
        ),
      );
    }
    const names = new Set<string>();
    const gates = parsed.data.gates.map((parsedGate, i) => {
      const g = parsedGate as Omit<PolicyGate, 'name'> & { name?: string };
      const named: PolicyGate = { ...g, name: g.name ?? g.kind };
      if (names.has(named.name)) {
        throw new Error(
          `${key}.gates[${i}]: the gate name "${named.name}" is used twice; give one a name`,
        );
      }
      names.add(named.name);
      return named;
    });
    policies.set(name, {
      name,
      description: parsed.data.description,
      gates,
    });
  }
  const defaultPolicy =
    config.getOptionalString('delivery.defaultPolicy') ?? BUILT_IN_POLICY_NAME;
  if (!policies.has(defaultPolicy)) {
    throw new Error(
      `delivery.defaultPolicy: "${defaultPolicy}" is not a configured policy (configured: ${[
        ...policies.keys(),
      ].join(', ')})`,
    );
  }
  return { policies, defaultPolicy };
}
