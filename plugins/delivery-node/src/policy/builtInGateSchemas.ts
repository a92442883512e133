import {
  SECURITY_LAYERS,
  SEVERITIES,
} from '@gitops-delivery/backstage-plugin-delivery-common';
import { z } from 'zod/v3';
import type { GateKindDefinition } from '../extensions/gateKinds';
import { isSupportedTimeZone } from './timeZone';

/** The config schema of a gate kind: what the policy reader validates. @public */
export type GateKindSchema = Pick<GateKindDefinition, 'kind' | 'configSchema'>;

const SLO_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const LOCAL_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/;
const CLOCK_TIME = /^([01]\d|2[0-3]):[0-5]\d$/;

const severityMax = () =>
  z
    .object(
      Object.fromEntries(
        SEVERITIES.map(s => [s, z.number().int().min(0).optional()]),
      ) as Record<(typeof SEVERITIES)[number], z.ZodOptional<z.ZodNumber>>,
    )
    .strict();

const layerBudget = () =>
  z
    .object({
      max: severityMax(),
      newOnly: z.boolean().optional(),
      onMissing: z.enum(['fail', 'pass']).optional(),
    })
    .strict();

const securityLayers = () =>
  z
    .object(
      Object.fromEntries(
        SECURITY_LAYERS.map(l => [l, layerBudget().optional()]),
      ) as Record<
        (typeof SECURITY_LAYERS)[number],
        z.ZodOptional<ReturnType<typeof layerBudget>>
      >,
    )
    .strict()
    .refine(
      l => Object.values(l).some(Boolean),
      'must budget at least one layer',
    );

const freezeWindow = () =>
  z.union([
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

/**
 * The config schemas of the built-in gate kinds (their evaluation is the
 * backend's); documented in the README's "Promotion policies".
 *
 * @public
 */
export const BUILT_IN_GATE_SCHEMAS: ReadonlyArray<GateKindSchema> = [
  {
    kind: 'vulnerabilities',
    configSchema: () => ({
      max: severityMax(),
      onlyFixable: z.boolean().default(false),
    }),
  },
  {
    kind: 'slo',
    configSchema: () => ({
      slo: z.string().regex(SLO_NAME, 'must name a configured SLO'),
      threshold: z.number().finite().optional(),
      comparison: z.enum(['below', 'above']).optional(),
      maxWorseThanStable: z.number().finite().min(0).optional(),
    }),
  },
  { kind: 'soak', configSchema: () => ({ minutes: z.number().min(0) }) },
  { kind: 'analysis', configSchema: () => ({}) },
  { kind: 'upstream-environment', configSchema: () => ({}) },
  { kind: 'in-sync', configSchema: () => ({}) },
  {
    kind: 'change-window',
    configSchema: () => ({
      timeZone: z.string().refine(isSupportedTimeZone, {
        message: 'must be an IANA time zone this runtime knows',
      }),
      freezes: z.array(freezeWindow()).min(1),
    }),
  },
  { kind: 'security', configSchema: () => ({ layers: securityLayers() }) },
  {
    kind: 'canary-vs-stable',
    configSchema: () => ({
      slo: z.string().regex(SLO_NAME, 'must name a configured SLO'),
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
    }),
  },
];
