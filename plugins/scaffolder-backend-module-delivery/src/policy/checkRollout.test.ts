import { checkRolloutAgainstPolicy } from './checkRollout';

const policy = { name: 'default', minSoakSeconds: 600, requiresAnalysis: true };

function rollout(steps: unknown[]) {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Rollout',
    metadata: { name: 'checkout' },
    spec: { strategy: { canary: { steps } } },
  };
}

const analysis = { analysis: { templates: [{ templateName: 'slo' }] } };

describe('checkRolloutAgainstPolicy', () => {
  it('accepts the canonical canary (5% → 10m → analysis → 25% → manual → 100%)', () => {
    const steps = [
      { setWeight: 5 },
      { pause: { duration: '10m' } },
      analysis,
      { setWeight: 25 },
      { pause: {} },
      { setWeight: 100 },
    ];
    expect(checkRolloutAgainstPolicy(rollout(steps), policy)).toEqual([]);
  });

  it('names the pause step that soaks too short', () => {
    const steps = [
      { setWeight: 5 },
      { pause: { duration: '5m' } },
      analysis,
      { setWeight: 25 },
      { pause: { duration: 900 } },
      { setWeight: 100 },
    ];
    expect(checkRolloutAgainstPolicy(rollout(steps), policy)).toEqual([
      {
        stepIndex: 1,
        message:
          'step 1 (pause 5m) soaks 5m at 5%, shorter than the minimum of 10m of policy "default"',
      },
    ]);
  });

  it('adds up consecutive pauses at one weight', () => {
    const steps = [
      { setWeight: 5 },
      { pause: { duration: '5m' } },
      analysis,
      { pause: { duration: '300s' } },
      { setWeight: 100 },
    ];
    expect(checkRolloutAgainstPolicy(rollout(steps), policy)).toEqual([]);
  });

  it('names a weight that has no pause before the next weight', () => {
    const steps = [
      { setWeight: 5 },
      analysis,
      { setWeight: 25 },
      { pause: {} },
    ];
    const violations = checkRolloutAgainstPolicy(rollout(steps), policy);
    expect(violations).toEqual([
      {
        stepIndex: 0,
        message:
          'step 0 (setWeight 5%) has no pause before step 2 (setWeight 25%); policy "default" requires a soak of at least 10m at each weight',
      },
    ]);
  });

  it('requires an analysis step before 100% when the policy gates on analysis', () => {
    const steps = [
      { setWeight: 5 },
      { pause: { duration: '1h' } },
      { setWeight: 100 },
      analysis,
    ];
    const violations = checkRolloutAgainstPolicy(rollout(steps), policy);
    expect(violations).toHaveLength(1);
    expect(violations[0].stepIndex).toBe(2);
    expect(violations[0].message).toContain(
      'step 2 (setWeight 100%) is reached without an analysis step',
    );
    expect(
      checkRolloutAgainstPolicy(rollout(steps), {
        ...policy,
        requiresAnalysis: false,
      }),
    ).toEqual([]);
  });

  it('without a 100% step, the analysis must come before the canary ends', () => {
    const violations = checkRolloutAgainstPolicy(
      rollout([{ setWeight: 20 }, { pause: {} }]),
      policy,
    );
    expect(violations).toEqual([expect.objectContaining({ stepIndex: 2 })]);
  });

  it('reports malformed steps by index', () => {
    const steps = [
      { setWeight: 150 },
      { pause: { duration: 'ten minutes' } },
      { analysis: { templates: [] } },
      { setWeight: 5, pause: {} },
      { setWeight: 100 },
    ];
    const messages = checkRolloutAgainstPolicy(rollout(steps), {
      name: 'p',
      requiresAnalysis: false,
    }).map(v => `${v.stepIndex}: ${v.message}`);
    expect(messages).toEqual([
      '0: step 0 (setWeight 150%): setWeight must be a number from 0 to 100',
      '1: step 1 (pause ten minutes): "ten minutes" is not a duration (use e.g. 30s, 10m, 1h)',
      '2: step 2 (analysis) must name at least one AnalysisTemplate (templates[].templateName)',
      '3: step 3 (setWeight 5%) must have exactly one kind (setWeight, pause, analysis, ...)',
    ]);
  });

  it('rejects a decreasing weight', () => {
    const violations = checkRolloutAgainstPolicy(
      rollout([{ setWeight: 50 }, { setWeight: 10 }]),
      { name: 'p', requiresAnalysis: false },
    );
    expect(violations).toEqual([
      {
        stepIndex: 1,
        message: 'step 1 (setWeight 10%) lowers the weight from 50%',
      },
    ]);
  });

  it('rejects a Rollout without canary steps or strategy', () => {
    expect(checkRolloutAgainstPolicy(rollout([]), policy)[0]).toEqual(
      expect.objectContaining({ stepIndex: -1 }),
    );
    expect(
      checkRolloutAgainstPolicy(
        { kind: 'Rollout', spec: { strategy: { blueGreen: {} } } },
        policy,
      )[0].message,
    ).toContain('no canary strategy');
  });
});
