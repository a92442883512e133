import { createMockDirectory } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { createValidatePolicyAction } from './validatePolicy';

const config = new ConfigReader({
  delivery: {
    policies: {
      default: {
        gates: [
          { kind: 'vulnerabilities', max: { CRITICAL: 0 } },
          { kind: 'soak', minutes: 10 },
          { kind: 'analysis' },
        ],
      },
      relaxed: { gates: [{ kind: 'soak', minutes: 1 }] },
    },
  },
});

function rolloutYaml(firstPause: string) {
  return `apiVersion: v1
kind: Service
metadata:
  name: payments-api
---
apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata:
  name: payments-api
spec:
  strategy:
    canary:
      steps:
        - setWeight: 5
        - pause: { duration: ${firstPause} }
        - analysis:
            templates:
              - templateName: payments-api-slo
        - setWeight: 25
        - pause: {}
        - setWeight: 100
`;
}

describe('delivery:policy:validate', () => {
  const mockDir = createMockDirectory();
  const action = createValidatePolicyAction({ config });

  function context(input: Record<string, unknown>) {
    return createMockActionContext({
      input: input as any,
      workspacePath: mockDir.path,
    });
  }

  it('passes a Rollout that fits the policy', async () => {
    mockDir.setContent({ 'deploy/base/rollout.yaml': rolloutYaml('10m') });
    const ctx = context({ manifestPath: 'deploy/base/rollout.yaml' });
    await action.handler(ctx);
    expect(ctx.output).toHaveBeenCalledWith('policy', 'default');
    expect(ctx.output).toHaveBeenCalledWith('valid', true);
    expect(ctx.output).toHaveBeenCalledWith('violations', []);
  });

  it('fails with a message that names the step that soaks too short', async () => {
    mockDir.setContent({ 'deploy/base/rollout.yaml': rolloutYaml('2m') });
    const ctx = context({
      policy: 'default',
      manifestPath: 'deploy/base/rollout.yaml',
    });
    await expect(action.handler(ctx)).rejects.toThrow(
      'The Rollout in deploy/base/rollout.yaml cannot pass policy "default": Rollout "payments-api" step 1 (pause 2m) soaks 2m at 5%, shorter than the minimum of 10m of policy "default"',
    );
    expect(ctx.output).toHaveBeenCalledWith('valid', false);
    expect(ctx.output).toHaveBeenCalledWith('violations', [
      {
        rollout: 'payments-api',
        stepIndex: 1,
        message:
          'step 1 (pause 2m) soaks 2m at 5%, shorter than the minimum of 10m of policy "default"',
      },
    ]);
  });

  it('reports without failing when failOnViolation is false', async () => {
    mockDir.setContent({ 'rollout.yaml': rolloutYaml('2m') });
    const ctx = context({
      manifestPath: 'rollout.yaml',
      failOnViolation: false,
    });
    await action.handler(ctx);
    expect(ctx.output).toHaveBeenCalledWith('valid', false);
  });

  it('uses the chosen policy', async () => {
    mockDir.setContent({ 'rollout.yaml': rolloutYaml('2m') });
    const ctx = context({ policy: 'relaxed', manifestPath: 'rollout.yaml' });
    await action.handler(ctx);
    expect(ctx.output).toHaveBeenCalledWith('valid', true);
  });

  it('uses delivery.defaultPolicy when the input names no policy', async () => {
    const withDefault = createValidatePolicyAction({
      config: new ConfigReader({
        delivery: {
          defaultPolicy: 'relaxed',
          policies: {
            strict: { gates: [{ kind: 'soak', minutes: 30 }] },
            relaxed: { gates: [{ kind: 'soak', minutes: 1 }] },
          },
        },
      }),
    });
    // 2m fails the built-in default (10m) and strict (30m), passes relaxed
    mockDir.setContent({ 'rollout.yaml': rolloutYaml('2m') });
    const ctx = context({ manifestPath: 'rollout.yaml' });
    await withDefault.handler(ctx);
    expect(ctx.output).toHaveBeenCalledWith('policy', 'relaxed');
    expect(ctx.output).toHaveBeenCalledWith('valid', true);

    const strict = context({ policy: 'strict', manifestPath: 'rollout.yaml' });
    await expect(withDefault.handler(strict)).rejects.toThrow(
      /shorter than the minimum of 30m of policy "strict"/,
    );
  });

  it('refuses a bad policy configuration when it is created, naming the key', () => {
    expect(() =>
      createValidatePolicyAction({
        config: new ConfigReader({
          delivery: { policies: { broken: { gates: [{ kind: 'soak' }] } } },
        }),
      }),
    ).toThrow(/delivery\.policies\.broken\.gates\[0\]/);
    expect(() =>
      createValidatePolicyAction({
        config: new ConfigReader({ delivery: { defaultPolicy: 'missing' } }),
      }),
    ).toThrow(/delivery\.defaultPolicy: "missing" is not a configured policy/);
  });

  it('rejects a policy that is not configured', async () => {
    mockDir.setContent({ 'rollout.yaml': rolloutYaml('10m') });
    await expect(
      action.handler(context({ policy: 'yolo', manifestPath: 'rollout.yaml' })),
    ).rejects.toThrow(
      'policy: "yolo" is not a configured policy (configured: default, relaxed)',
    );
  });

  it('rejects paths outside the workspace, missing files and files without a Rollout', async () => {
    mockDir.setContent({
      'service.yaml': 'kind: Service\n',
      'bad.yaml': 'a: [',
    });
    await expect(
      action.handler(context({ manifestPath: '../../etc/passwd' })),
    ).rejects.toThrow(/outside/);
    await expect(
      action.handler(context({ manifestPath: 'nope.yaml' })),
    ).rejects.toThrow('manifestPath: cannot read "nope.yaml" in the workspace');
    await expect(
      action.handler(context({ manifestPath: 'service.yaml' })),
    ).rejects.toThrow('manifestPath: "service.yaml" holds no Rollout');
    await expect(
      action.handler(context({ manifestPath: 'bad.yaml' })),
    ).rejects.toThrow(/document 0 of "bad.yaml" is not valid YAML/);
  });

  it('applies the built-in default policy when none is configured', async () => {
    const bare = createValidatePolicyAction({ config: new ConfigReader({}) });
    mockDir.setContent({ 'rollout.yaml': rolloutYaml('5m') });
    await expect(
      bare.handler(context({ manifestPath: 'rollout.yaml' })),
    ).rejects.toThrow(
      /step 1 \(pause 5m\) soaks 5m at 5%, shorter than the minimum of 10m/,
    );
  });
});
