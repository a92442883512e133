import type { Config } from '@backstage/config';
import {
  BUILT_IN_POLICY_NAME,
  SEVERITIES,
  type GateDefinition,
  type PolicyDefinition,
} from '@gitops-delivery/backstage-plugin-delivery-common';
import { z } from 'zod/v3';
import { BUILT_IN_POLICY } from './builtInPolicy';

/** The configured policies, read once at start-up. @public */
export interface PolicyConfig {
  /** Every policy by name, the built-in `default` included. */
  policies: Map<string, PolicyDefinition>;
  /** Policy used when an entity names none. */
  defaultPolicy: string;
}

const POLICY_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const LOCAL_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/;
const CLOCK_TIME = /^([01]\d|2[0-3]):[0-5]\d$/;

const base = {
  name: z.string().min(1).max(100).optional(),
  onUnknown: z.enum(['fail', 'pass']).default('fail'),
};

const severityMax = z
  .object(
    Object.fromEntries(
      SEVERITIES.map(s => [s, z.number().int().min(0).optional()]),
    ) as Record<(typeof SEVERITIES)[number], z.ZodOptional<z.ZodNumber>>,
  )
  .strict();

const freezeWindow = z.union([
  z
    .object({
      name: z.string().min(1),
      start: z.string().regex(LOCAL_DATE_TIME, 'must be YYYY-MM-DDTHH:mm'),
      end: z.string().regex(LOCAL_DATE_TIME, 'must be YYYY-MM-DDTHH:mm'),
    })
    .strict()
    .refine(w => w.start < w.end, 'start must be before end'),
  z
    .object({
      name: z.string().min(1),
      days: z
        .array(z.enum(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun']))
        .min(1),
      from: z.string().regex(CLOCK_TIME, 'must be HH:mm'),
      to: z.string().regex(CLOCK_TIME, 'must be HH:mm'),
    })
    .strict(),
]);

const gate = z.discriminatedUnion('kind', [
  z
    .object({
      ...base,
      kind: z.literal('vulnerabilities'),
      max: severityMax,
      onlyFixable: z.boolean().default(false),
    })
    .strict(),
  z
    .object({
      ...base,
      kind: z.literal('slo'),
      slo: z.string().regex(POLICY_NAME, 'must name a configured SLO'),
      threshold: z.number().finite().optional(),
      comparison: z.enum(['below', 'above']).optional(),
      maxWorseThanStable: z.number().finite().min(0).optional(),
    })
    .strict(),
  z
    .object({ ...base, kind: z.literal('soak'), minutes: z.number().min(0) })
    .strict(),
  z.object({ ...base, kind: z.literal('analysis') }).strict(),
  z.object({ ...base, kind: z.literal('upstream-environment') }).strict(),
  z.object({ ...base, kind: z.literal('in-sync') }).strict(),
  z
    .object({
      ...base,
      kind: z.literal('change-window'),
      timeZone: z.string().refine(isSupportedTimeZone, {
        message: 'must be an IANA time zone this runtime knows',
      }),
      freezes: z.array(freezeWindow).min(1),
    })
    .strict(),
  z
    .object({
      ...base,
      kind: z.literal('canary-vs-stable'),
      slo: z.string().regex(POLICY_NAME, 'must name a configured SLO'),
      windowMinutes: z.number().positive().max(1440).optional(),
      alpha: z
        .number()
        .gt(0, 'must be between 0 and 0.5')
        .max(0.5, 'must be between 0 and 0.5')
        .optional(),
      minEffect: z
        .number()
        .min(0, 'must be between 0 and 1')
        .max(1, 'must be between 0 and 1')
        .optional(),
      minSamples: z.number().int().min(3).max(10000).optional(),
    })
    .strict(),
]);

const policy = z
  .object({
    description: z.string().optional(),
    gates: z.array(gate).min(1),
  })
  .strict();

/** True when `Intl` knows the IANA time zone. @public */
export function isSupportedTimeZone(timeZone: string): boolean {
  try {
    return Boolean(new Intl.DateTimeFormat('en-US', { timeZone }));
  } catch {
    return false;
  }
}

/**
 * Reads `delivery.policies` and `delivery.defaultPolicy`. A configuration
 * error stops start-up with a message naming the key, so a typo never
 * silently weakens a policy.
 *
 * @public
 */
export function readPolicyConfig(config: Config): PolicyConfig {
  const policies = new Map<string, PolicyDefinition>([
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
    const gates = parsed.data.gates.map((g, i) => {
      const named = { ...g, name: g.name ?? g.kind } as GateDefinition;
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
