import type { DeploymentView } from '@gitops-delivery/backstage-plugin-delivery-common';

// The overview's DeploymentView of the recorded Deployments
// (packages/test-data/fixtures/kubernetes, modelled by the backend's
// toDeploymentView; its deploymentView.test.ts checks the same values).

const guestbook = {
  instance: 'main',
  application: 'checkout-dev',
  namespace: 'default',
  name: 'guestbook-ui',
  revision: '4',
  maxSurge: '25%',
  maxUnavailable: '25%',
  progressDeadlineSeconds: 600,
  paused: false,
  newImages: ['gcr.io/heptio-images/ks-guestbook-demo:0.3'],
  available: {
    status: 'True',
    reason: 'MinimumReplicasAvailable',
    message: 'Deployment has minimum availability.',
    lastTransitionTime: '2018-07-18T04:48:48Z',
    lastUpdateTime: '2018-07-18T04:48:48Z',
  },
};

/** deployment-progressing.yaml with its tree: one old Pod pending termination. */
export const rollingDeployment: DeploymentView = {
  ...guestbook,
  strategy: 'rollingUpdate',
  state: 'progressing',
  health: { status: 'Progressing' },
  message:
    'Waiting for rollout to finish: 1 old replicas are pending termination',
  replicas: {
    desired: 1,
    current: 2,
    updated: 1,
    ready: 1,
    available: 1,
    unavailable: 1,
  },
  progressDeadlineAt: '2018-07-18T06:29:22.000Z',
  progressing: {
    status: 'True',
    reason: 'ReplicaSetUpdated',
    message: 'ReplicaSet "guestbook-ui-75dd4d49d5" is progressing.',
    lastTransitionTime: '2018-07-18T04:40:44Z',
    lastUpdateTime: '2018-07-18T06:19:22Z',
  },
  replicaSets: [
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
  ],
  oldImages: ['gcr.io/heptio-images/ks-guestbook-demo:0.2'],
};

/** deployment-degraded.yaml: past its progress deadline. */
export const stuckDeployment: DeploymentView = {
  ...guestbook,
  strategy: 'rollingUpdate',
  state: 'stuck',
  health: { status: 'Degraded' },
  message:
    'Deployment "guestbook-ui" exceeded its progress deadline: ReplicaSet "guestbook-ui-75dd4d49d5" has timed out progressing.',
  replicas: {
    desired: 1,
    current: 2,
    updated: 1,
    ready: 1,
    available: 1,
    unavailable: 1,
  },
  progressing: {
    status: 'False',
    reason: 'ProgressDeadlineExceeded',
    message: 'ReplicaSet "guestbook-ui-75dd4d49d5" has timed out progressing.',
    lastTransitionTime: '2018-07-18T06:29:23Z',
    lastUpdateTime: '2018-07-18T06:29:23Z',
  },
  replicaSets: [],
  oldImages: [],
};

/** mysql-deployment-recreate.yaml while its new Pod starts, 90 s down. */
export const recreateDeployment: DeploymentView = {
  instance: 'main',
  application: 'checkout-dev',
  namespace: 'db',
  name: 'mysql',
  strategy: 'recreate',
  state: 'progressing',
  health: { status: 'Progressing' },
  message:
    'Waiting for rollout to finish: 0 of 1 updated replicas are available',
  revision: '2',
  replicas: {
    desired: 1,
    current: 1,
    updated: 1,
    ready: 0,
    available: 0,
    unavailable: 1,
  },
  paused: false,
  progressing: {
    status: 'True',
    reason: 'ReplicaSetUpdated',
    message: 'ReplicaSet "mysql-7d9c8b6f5d" is progressing.',
    lastTransitionTime: '2026-12-06T04:10:00Z',
    lastUpdateTime: '2026-12-06T05:00:02Z',
  },
  available: {
    status: 'False',
    reason: 'MinimumReplicasUnavailable',
    message: 'Deployment does not have minimum availability.',
    lastTransitionTime: '2026-12-06T05:00:00Z',
    lastUpdateTime: '2026-12-06T05:00:00Z',
  },
  replicaSets: [],
  newImages: ['mysql:5.6'],
  oldImages: [],
  downtime: { since: '2026-12-06T05:00:00.000Z', seconds: 90 },
};
