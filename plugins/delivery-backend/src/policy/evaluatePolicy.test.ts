import type { PolicyDefinition } from '@gitops-delivery/backstage-plugin-delivery-common';
import { BUILT_IN_POLICY } from '@gitops-delivery/backstage-plugin-delivery-node';
import {
  evaluatePolicy,
  evaluateSelection,
  sloGatesOf,
} from './evaluatePolicy';
import type { PolicyInput } from './PolicyInput';
import {
  CANARY_IMAGE,
  environments,
  input,
  NOW,
  rollout,
  scan,
  slo,
} from './__testUtils__/policyInputs';

type Variant = { label: string; blocks?: string; apply: Partial<PolicyInput> };

// Each factor changes one kind of fact; `blocks` names the default-policy
// gate that must then block (the gate of a variant without `blocks` passes).
const factors: Record<string, Variant[]> = {
  cves: [
    { label: 'clean image', apply: {} },
    {
      label: 'CRITICAL CVE',
      blocks: 'no-high-or-critical-cves',
      apply: { images: [scan(CANARY_IMAGE, { CRITICAL: 1 })] },
    },
    {
      label: 'no scan',
      blocks: 'no-high-or-critical-cves',
      apply: { images: undefined },
    },
  ],
  slo: [
    { label: 'error rate ok', apply: {} },
    {
      label: 'error rate 8%',
      blocks: 'canary-error-rate',
      apply: { slos: [slo('error-rate', 0.08)] },
    },
    {
      label: 'error rate no data',
      blocks: 'canary-error-rate',
      apply: { slos: [slo('error-rate', null)] },
    },
  ],
  soak: [
    { label: 'soaked 15 min', apply: {} },
    {
      label: 'soaked 2 min',
      blocks: 'soak',
      apply: { stepStartedAt: '2026-11-27T11:58:00Z' },
    },
  ],
  analysis: [
    { label: 'analysis ok', apply: {} },
    {
      label: 'analysis failed',
      blocks: 'analysis',
      apply: {
        rollout: rollout({
          analysisRuns: [{ ...rollout().analysisRuns[0], phase: 'Failed' }],
        }),
      },
    },
  ],
  upstream: [
    { label: 'staging healthy', apply: {} },
    {
      label: 'staging degraded',
      blocks: 'upstream-environment',
      apply: {
        environments: environments({
          staging: { health: { status: 'Degraded' } },
        }),
      },
    },
  ],
  sync: [
    { label: 'synced', apply: {} },
    {
      label: 'drift',
      blocks: 'in-sync',
      apply: {
        environments: environments({
          production: { sync: { status: 'OutOfSync' } },
        }),
      },
    },
  ],
};

function combinations(entries: Array<[string, Variant[]]>): Variant[][] {
  if (entries.length === 0) return [[]];
  const [[, variants], ...rest] = entries;
  return variants.flatMap(v => combinations(rest).map(tail => [v, ...tail]));
}

// upstream and sync both replace `environments`; merge them instead of overwriting
function merge(variants: Variant[]): Partial<PolicyInput> {
  const degraded = variants.some(v => v.label === 'staging degraded');
  const drift = variants.some(v => v.label === 'drift');
  return {
    ...Object.assign({}, ...variants.map(v => v.apply)),
    environments: environments({
      staging: degraded ? { health: { status: 'Degraded' } } : {},
      production: drift ? { sync: { status: 'OutOfSync' } } : {},
    }),
  };
}

const table = combinations(Object.entries(factors)).map(variants => ({
  title: variants.map(v => v.label).join(', '),
  variants,
  expectedBlocking: variants.flatMap(v => (v.blocks ? [v.blocks] : [])),
}));

describe('evaluatePolicy with the built-in default policy', () => {
  it('covers at least 30 combinations', () => {
    expect(table.length).toBeGreaterThanOrEqual(30);
  });

  it.each(table)('$title', async ({ variants, expectedBlocking }) => {
    const evaluation = await evaluatePolicy(
      BUILT_IN_POLICY,
      input(merge(variants)),
    );
    const blocking = evaluation.gates.filter(g => g.blocking).map(g => g.name);
    expect(blocking).toEqual(expectedBlocking);
    expect(evaluation.allowed).toBe(expectedBlocking.length === 0);
    expect(evaluation.gates).toHaveLength(BUILT_IN_POLICY.gates.length);
    expect(evaluation).toMatchObject({
      policy: 'default',
      environment: 'production',
      rollout: 'checkout',
      instance: 'main',
      evaluatedAt: NOW.toISOString(),
    });
  });
});

describe('evaluatePolicy', () => {
  const lenient: PolicyDefinition = {
    name: 'lenient',
    gates: BUILT_IN_POLICY.gates.map(g => ({
      ...g,
      onUnknown: 'pass' as const,
    })),
  };

  it('lets unknown results pass when every gate is configured so', async () => {
    const evaluation = await evaluatePolicy(
      lenient,
      input({ images: undefined, slos: undefined }),
    );
    expect(evaluation.allowed).toBe(true);
    expect(
      evaluation.gates.filter(g => g.outcome === 'unknown').map(g => g.name),
    ).toEqual(['no-high-or-critical-cves', 'canary-error-rate']);
  });

  it('still blocks a failing gate of a lenient policy', async () => {
    const evaluation = await evaluatePolicy(
      lenient,
      input({ slos: [slo('error-rate', 0.5)] }),
    );
    expect(evaluation.allowed).toBe(false);
  });

  it('fails closed when the annotation names an unconfigured policy', async () => {
    const evaluation = await evaluateSelection(
      { requested: 'yolo', error: 'not a configured policy' },
      input(),
    );
    expect(evaluation).toMatchObject({
      policy: 'yolo',
      allowed: false,
      gates: [{ kind: 'policy', outcome: 'fail', blocking: true }],
    });
  });

  it('keeps only the SLO gates for the guard', () => {
    expect(sloGatesOf(BUILT_IN_POLICY).gates.map(g => g.name)).toEqual([
      'canary-error-rate',
    ]);
  });
});
