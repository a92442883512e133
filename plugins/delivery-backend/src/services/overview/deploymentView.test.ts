import { parseAllDocuments } from 'yaml';
import { fixtureText } from 'delivery-test-data';
import type { ArgoCdResourceNode } from '@gitops-delivery/backstage-plugin-delivery-node';
import { yamlFixture } from '../../__testUtils__/fixtures';
import { deploymentStatus } from './deploymentStatus';
import type { DeploymentObject } from './deploymentTypes';
import { deploymentReplicaSets, toDeploymentView } from './deploymentView';
import {
  deploymentReads,
  managedDeployments,
  withoutWorkloadRefs,
} from './deploymentResources';

const base = { instance: 'main', application: 'guestbook' };

/**
 * The resource tree Argo CD reports for the guestbook-ui Deployment of the
 * recorded fixtures (swagger v1alpha1ResourceNode): the new ReplicaSet of
 * revision 4 (named by the Progressing condition) with one Pod not ready
 * yet, and the old one of revision 3 with its ready Pod.
 */
function guestbookTree(): ArgoCdResourceNode[] {
  const deployment = {
    group: 'apps',
    kind: 'Deployment',
    namespace: 'default',
    name: 'guestbook-ui',
  };
  const rs = (name: string, revision: number, image: string) => [
    {
      group: 'apps',
      version: 'v1',
      kind: 'ReplicaSet',
      namespace: 'default',
      name,
      parentRefs: [deployment],
      info: [{ name: 'Revision', value: `Rev:${revision}` }],
      health: { status: revision === 4 ? 'Progressing' : 'Healthy' },
      createdAt: `2018-07-18T0${revision}:00:00Z`,
    },
    {
      version: 'v1',
      kind: 'Pod',
      namespace: 'default',
      name: `${name}-x${revision}`,
      parentRefs: [
        { group: 'apps', kind: 'ReplicaSet', namespace: 'default', name },
      ],
      images: [image],
      health: { status: revision === 4 ? 'Progressing' : 'Healthy' },
    },
  ];
  return [
    { ...deployment, version: 'v1', health: { status: 'Progressing' } },
    ...rs(
      'guestbook-ui-75dd4d49d5',
      4,
      'gcr.io/heptio-images/ks-guestbook-demo:0.3',
    ),
    ...rs(
      'guestbook-ui-6b7c9d8f4c',
      3,
      'gcr.io/heptio-images/ks-guestbook-demo:0.2',
    ),
    {
      group: 'apps',
      version: 'v1',
      kind: 'ReplicaSet',
      namespace: 'default',
      name: 'guestbook-ui-5c4d3b2a19',
      parentRefs: [deployment],
      info: [{ name: 'Revision', value: 'Rev:2' }],
      health: { status: 'Healthy' },
    },
  ];
}

describe('toDeploymentView', () => {
  it('models a rolling update in progress (argo-cd health testdata)', () => {
    const deployment: DeploymentObject = yamlFixture(
      'kubernetes/deployment-progressing.yaml',
    );
    const view = toDeploymentView({
      ...base,
      deployment,
      treeNodes: guestbookTree(),
      now: new Date('2018-07-18T06:20:00Z'),
    });
    expect(view).toMatchObject({
      name: 'guestbook-ui',
      namespace: 'default',
      strategy: 'rollingUpdate',
      state: 'progressing',
      health: { status: 'Progressing' },
      revision: '4',
      replicas: {
        desired: 1,
        current: 2,
        updated: 1,
        ready: 1,
        available: 1,
        unavailable: 1,
      },
      maxSurge: '25%',
      maxUnavailable: '25%',
      progressDeadlineSeconds: 600,
      // last progress 06:19:22 + 600 s
      progressDeadlineAt: '2018-07-18T06:29:22.000Z',
      progressing: { status: 'True', reason: 'ReplicaSetUpdated' },
      paused: false,
      newImages: ['gcr.io/heptio-images/ks-guestbook-demo:0.3'],
      oldImages: ['gcr.io/heptio-images/ks-guestbook-demo:0.2'],
      message:
        'Waiting for rollout to finish: 1 old replicas are pending termination',
    });
    expect(view.downtime).toBeUndefined();
    // the new ReplicaSet first; the emptied one of revision 2 is history
    expect(view.replicaSets).toEqual([
      {
        name: 'guestbook-ui-75dd4d49d5',
        revision: '4',
        new: true,
        images: ['gcr.io/heptio-images/ks-guestbook-demo:0.3'],
        health: { status: 'Progressing' },
        pods: 1,
        readyPods: 0,
      },
      {
        name: 'guestbook-ui-6b7c9d8f4c',
        revision: '3',
        new: false,
        images: ['gcr.io/heptio-images/ks-guestbook-demo:0.2'],
        health: { status: 'Healthy' },
        pods: 1,
        readyPods: 1,
      },
    ]);
    expect(deploymentStatus(view)).toEqual({
      status: 'running',
      message: 'guestbook-ui: rolling update (1/1 updated, 1 available)',
      startedAt: '2018-07-18T04:40:44Z',
    });
  });

  it('reports a rollout stuck past its progress deadline (ProgressDeadlineExceeded)', () => {
    const deployment: DeploymentObject = yamlFixture(
      'kubernetes/deployment-degraded.yaml',
    );
    const view = toDeploymentView({
      ...base,
      deployment,
      treeNodes: [],
      now: new Date('2018-07-18T07:00:00Z'),
    });
    expect(view).toMatchObject({
      state: 'stuck',
      // no tree node: Argo CD's health is derived as it derives it
      health: { status: 'Degraded' },
      progressing: {
        status: 'False',
        reason: 'ProgressDeadlineExceeded',
        message:
          'ReplicaSet "guestbook-ui-75dd4d49d5" has timed out progressing.',
        lastTransitionTime: '2018-07-18T06:29:23Z',
      },
      available: { status: 'True', reason: 'MinimumReplicasAvailable' },
      message:
        'Deployment "guestbook-ui" exceeded its progress deadline: ReplicaSet "guestbook-ui-75dd4d49d5" has timed out progressing.',
      newImages: ['gcr.io/heptio-images/ks-guestbook-demo:0.3'],
    });
    // the deadline has passed: no countdown
    expect(view.progressDeadlineAt).toBeUndefined();
    expect(deploymentStatus(view)).toMatchObject({
      status: 'failed',
      message:
        'guestbook-ui: rollout stuck: ReplicaSet "guestbook-ui-75dd4d49d5" has timed out progressing.',
    });
  });

  describe('Recreate (Kubernetes docs mysql example)', () => {
    const manifest = (): DeploymentObject =>
      parseAllDocuments(
        fixtureText('kubernetes/mysql-deployment-recreate.yaml'),
      )
        .map(d => d.toJS())
        .find(d => d.kind === 'Deployment');

    it('shows the old pods down, the new coming up and the downtime so far', () => {
      // the status the controller writes while the new Pod starts, after
      // it scaled the old ReplicaSet to zero (simulated: the docs example
      // is a manifest only)
      const deployment: DeploymentObject = {
        ...manifest(),
        metadata: {
          name: 'mysql',
          namespace: 'db',
          generation: 2,
          annotations: { 'deployment.kubernetes.io/revision': '2' },
        },
        status: {
          observedGeneration: 2,
          replicas: 1,
          updatedReplicas: 1,
          unavailableReplicas: 1,
          conditions: [
            {
              type: 'Available',
              status: 'False',
              reason: 'MinimumReplicasUnavailable',
              message: 'Deployment does not have minimum availability.',
              lastTransitionTime: '2026-12-06T05:00:00Z',
              lastUpdateTime: '2026-12-06T05:00:00Z',
            },
            {
              type: 'Progressing',
              status: 'True',
              reason: 'ReplicaSetUpdated',
              message: 'ReplicaSet "mysql-7d9c8b6f5d" is progressing.',
              lastTransitionTime: '2026-12-06T04:10:00Z',
              lastUpdateTime: '2026-12-06T05:00:02Z',
            },
          ],
        },
      };
      const view = toDeploymentView({
        ...base,
        deployment,
        treeNodes: [],
        now: new Date('2026-12-06T05:01:30Z'),
      });
      expect(view).toMatchObject({
        strategy: 'recreate',
        state: 'progressing',
        replicas: { desired: 1, updated: 1, available: 0 },
        newImages: ['mysql:5.6'],
        downtime: { since: '2026-12-06T05:00:00.000Z', seconds: 90 },
        message:
          'Waiting for rollout to finish: 0 of 1 updated replicas are available',
      });
      expect(view.maxSurge).toBeUndefined();
      expect(view.maxUnavailable).toBeUndefined();
      expect(deploymentStatus(view)?.message).toBe(
        'mysql: recreating (1/1 new, 0 available, down 1 min 30 s)',
      );
    });

    it('has no downtime once the new Pod is available', () => {
      const deployment: DeploymentObject = {
        ...manifest(),
        status: {
          replicas: 1,
          updatedReplicas: 1,
          readyReplicas: 1,
          availableReplicas: 1,
        },
      };
      const view = toDeploymentView({
        ...base,
        deployment,
        treeNodes: [],
        now: new Date(),
      });
      expect(view.state).toBe('complete');
      expect(view.health).toEqual({ status: 'Healthy' });
      expect(view.downtime).toBeUndefined();
      expect(deploymentStatus(view)).toBeUndefined();
    });
  });

  it('says paused and unknown for what the controller has not rolled', () => {
    const deployment: DeploymentObject = yamlFixture(
      'kubernetes/deployment-progressing.yaml',
    );
    expect(
      toDeploymentView({
        ...base,
        deployment: {
          ...deployment,
          spec: { ...deployment.spec, paused: true },
        },
        treeNodes: [],
        now: new Date(),
      }),
    ).toMatchObject({ state: 'paused', health: { status: 'Suspended' } });
    expect(
      toDeploymentView({
        ...base,
        deployment: { ...deployment, status: undefined },
        treeNodes: [],
        now: new Date(),
      }).state,
    ).toBe('unknown');
    expect(
      toDeploymentView({
        ...base,
        deployment: {
          ...deployment,
          metadata: { ...deployment.metadata, generation: 5 },
        },
        treeNodes: [],
        now: new Date(),
      }),
    ).toMatchObject({
      state: 'progressing',
      message: 'Waiting for deployment spec update to be observed',
    });
  });
});

describe('deploymentReplicaSets', () => {
  it('takes the ReplicaSet the Progressing condition names when the revision is unknown', () => {
    const deployment: DeploymentObject = yamlFixture(
      'kubernetes/deployment-progressing.yaml',
    );
    delete deployment.metadata!.annotations;
    const tree = guestbookTree().map(n =>
      n.kind === 'ReplicaSet' ? { ...n, info: undefined } : n,
    );
    expect(
      deploymentReplicaSets(tree, deployment).find(rs => rs.new)?.name,
    ).toBe('guestbook-ui-75dd4d49d5');
  });
});

describe('reading Deployments', () => {
  const app = {
    status: {
      resources: [
        {
          group: 'apps',
          version: 'v1',
          kind: 'Deployment',
          namespace: 'default',
          name: 'guestbook-ui',
        },
        {
          group: 'apps',
          version: 'v1',
          kind: 'Deployment',
          namespace: 'default',
          name: 'checkout-template',
        },
        {
          group: '',
          version: 'v1',
          kind: 'Service',
          namespace: 'default',
          name: 'guestbook-ui',
        },
        {
          group: 'argoproj.io',
          version: 'v1alpha1',
          kind: 'Rollout',
          namespace: 'default',
          name: 'checkout',
        },
      ],
    },
  };

  it('reads the listed Deployments at once, and those only the tree shows', async () => {
    expect(managedDeployments(app).map(r => r.name)).toEqual([
      'guestbook-ui',
      'checkout-template',
    ]);
    const read = jest.fn(async (r: { name: string }) =>
      r.name === 'broken' ? undefined : { metadata: { name: r.name } },
    );
    const reads = deploymentReads(app, read);
    expect(read).toHaveBeenCalledTimes(2);
    const loaded = await reads.all([
      {
        group: 'apps',
        kind: 'Deployment',
        namespace: 'default',
        name: 'redis',
      },
      {
        group: 'apps',
        kind: 'Deployment',
        namespace: 'default',
        name: 'broken',
      },
      // a Deployment owned by something else is not the Application's own
      {
        group: 'apps',
        kind: 'Deployment',
        namespace: 'default',
        name: 'child',
        parentRefs: [{ kind: 'Other', name: 'x' }],
      },
    ]);
    expect(read).toHaveBeenCalledTimes(4);
    expect(loaded.map(d => d.resource.name)).toEqual([
      'guestbook-ui',
      'checkout-template',
      'redis',
    ]);
    // a Rollout's workloadRef Deployment is the Rollout's template
    expect(
      withoutWorkloadRefs(loaded, [
        {
          metadata: { name: 'checkout', namespace: 'default' },
          spec: {
            workloadRef: { kind: 'Deployment', name: 'checkout-template' },
          },
        },
      ]).map(d => d.resource.name),
    ).toEqual(['guestbook-ui', 'redis']);
  });
});
