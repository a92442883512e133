import { ARGO_AUTH, getJson, testSandbox } from '../testUtils';
import { simulateDeployment } from './deploymentRollout';

const time = (ms: number) => new Date(ms).toISOString();
const at = (seconds: number) => ({
  desired: 4,
  newReplicaSet: 'checkout-new',
  startedAt: 0,
  now: seconds * 1000,
  time,
});

describe('simulateDeployment', () => {
  it('rolls within 25% surge and 25% unavailable, then completes', () => {
    const behaviour = { strategy: 'RollingUpdate' as const, stepSeconds: 20 };
    const start = simulateDeployment({ behaviour, ...at(0) });
    // one surge Pod and one unavailable slot: 3 old serve, 2 new start
    expect(start).toMatchObject({
      maxSurge: 1,
      maxUnavailable: 1,
      oldReplicas: 3,
      newReplicas: 2,
      newReady: 0,
      complete: false,
    });
    expect(start.status).toMatchObject({
      replicas: 5,
      updatedReplicas: 2,
      availableReplicas: 3,
      unavailableReplicas: 2,
    });
    expect(start.status.conditions[1]).toMatchObject({
      type: 'Progressing',
      reason: 'ReplicaSetUpdated',
      message: 'ReplicaSet "checkout-new" is progressing.',
    });
    expect(simulateDeployment({ behaviour, ...at(20) })).toMatchObject({
      oldReplicas: 1,
      newReplicas: 4,
      newReady: 2,
    });
    const done = simulateDeployment({ behaviour, ...at(40) });
    expect(done).toMatchObject({ oldReplicas: 0, newReady: 4, complete: true });
    expect(done.status.conditions[1]).toMatchObject({
      reason: 'NewReplicaSetAvailable',
    });
    expect(done.status.unavailableReplicas).toBeUndefined();
  });

  it('gets stuck: the new Pods never get ready, ProgressDeadlineExceeded after the deadline', () => {
    const behaviour = {
      rollout: 'stuck' as const,
      stepSeconds: 20,
      progressDeadlineSeconds: 120,
    };
    const before = simulateDeployment({ behaviour, ...at(100) });
    expect(before).toMatchObject({
      oldReplicas: 3,
      newReplicas: 2,
      newReady: 0,
      stuck: false,
    });
    const after = simulateDeployment({ behaviour, ...at(121) });
    expect(after.stuck).toBe(true);
    expect(after.status.conditions[1]).toEqual({
      type: 'Progressing',
      status: 'False',
      reason: 'ProgressDeadlineExceeded',
      message: 'ReplicaSet "checkout-new" has timed out progressing.',
      lastUpdateTime: time(120_000),
      lastTransitionTime: time(120_000),
    });
    // the old Pods keep serving
    expect(after.status.conditions[0]).toMatchObject({
      type: 'Available',
      status: 'True',
    });
  });

  it('recreates: every old Pod stops, then the new ones start; down meanwhile', () => {
    const behaviour = { strategy: 'Recreate' as const, stepSeconds: 45 };
    const stopping = simulateDeployment({ behaviour, ...at(10) });
    expect(stopping).toMatchObject({
      oldReplicas: 4,
      oldReady: 0,
      newReplicas: 0,
    });
    expect(stopping.status.conditions[0]).toMatchObject({
      type: 'Available',
      status: 'False',
      lastTransitionTime: time(0),
    });
    const starting = simulateDeployment({ behaviour, ...at(50) });
    expect(starting).toMatchObject({
      oldReplicas: 0,
      newReplicas: 4,
      newReady: 0,
    });
    expect(starting.status.availableReplicas).toBe(0);
    const up = simulateDeployment({ behaviour, ...at(95) });
    expect(up).toMatchObject({ newReady: 4, complete: true });
    expect(up.status.conditions[0]).toMatchObject({
      status: 'True',
      lastTransitionTime: time(90_000),
    });
  });
});

describe('the deployment-strategies and deployment-stuck scenarios', () => {
  const deploymentOf = async (url: string, app: string, namespace: string) => {
    const q = new URLSearchParams({
      namespace,
      resourceName: 'checkout',
      group: 'apps',
      version: 'v1',
      kind: 'Deployment',
      appNamespace: 'argocd',
    });
    const res = await getJson(
      `${url}/argocd/main/api/v1/applications/${app}/resource?${q}`,
      { headers: ARGO_AUTH },
    );
    expect(res.status).toBe(200);
    return JSON.parse(res.body.manifest);
  };

  it('serves dev rolling and staging recreating, through Argo CD resource reads and the tree', async () => {
    const sandbox = await testSandbox('deployment-strategies');
    try {
      const dev = await deploymentOf(
        sandbox.url,
        'checkout-dev',
        'checkout-dev',
      );
      expect(dev.spec.strategy).toEqual({
        type: 'RollingUpdate',
        rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' },
      });
      expect(dev.status).toMatchObject({
        updatedReplicas: 2,
        availableReplicas: 3,
      });
      const staging = await deploymentOf(
        sandbox.url,
        'checkout-staging',
        'checkout-staging',
      );
      expect(staging.spec.strategy).toEqual({ type: 'Recreate' });
      expect(staging.status.availableReplicas).toBe(0);
      const tree = await getJson(
        `${sandbox.url}/argocd/main/api/v1/applications/checkout-dev/resource-tree?appNamespace=argocd`,
        { headers: ARGO_AUTH },
      );
      const sets = tree.body.nodes.filter((n: any) => n.kind === 'ReplicaSet');
      expect(sets).toHaveLength(2);
      expect(tree.body.nodes.filter((n: any) => n.kind === 'Pod')).toHaveLength(
        5,
      );
      sandbox.clock.advance(200_000);
      const later = await deploymentOf(
        sandbox.url,
        'checkout-dev',
        'checkout-dev',
      );
      expect(later.status).toMatchObject({
        updatedReplicas: 4,
        availableReplicas: 4,
        replicas: 4,
      });
    } finally {
      await sandbox.close();
    }
  });

  it('serves dev stuck past its progress deadline', async () => {
    const sandbox = await testSandbox('deployment-stuck');
    try {
      sandbox.clock.advance(130_000);
      const dev = await deploymentOf(
        sandbox.url,
        'checkout-dev',
        'checkout-dev',
      );
      expect(dev.status.conditions).toContainEqual(
        expect.objectContaining({
          type: 'Progressing',
          reason: 'ProgressDeadlineExceeded',
        }),
      );
    } finally {
      await sandbox.close();
    }
  });
});
