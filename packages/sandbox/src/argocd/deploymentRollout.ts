/*
 * A plain Deployment's rollout over simulated time, as the Kubernetes
 * Deployment controller does it (pkg/controller/deployment: rolling.go,
 * recreate.go, progress.go), in ticks of `stepSeconds`: each tick the Pods
 * created the tick before become ready (unless the release is stuck), then
 * the controller scales the old ReplicaSet down and the new one up within
 * maxSurge and maxUnavailable; Recreate first stops every old Pod, then
 * starts the new ones. The statuses follow the recorded Deployments
 * (packages/test-data/fixtures/kubernetes).
 */
import type { DeploymentBehaviour } from '../world/types';

/** The counts and conditions of a Deployment at one simulated time. */
export interface DeploymentSnapshot {
  strategy: 'RollingUpdate' | 'Recreate';
  maxSurge: number;
  maxUnavailable: number;
  progressDeadlineSeconds: number;
  /** Old Pods (still running or, for Recreate's first tick, terminating). */
  oldReplicas: number;
  oldReady: number;
  newReplicas: number;
  newReady: number;
  status: {
    observedGeneration?: number;
    replicas: number;
    updatedReplicas: number;
    readyReplicas: number;
    availableReplicas: number;
    unavailableReplicas?: number;
    conditions: Array<{
      type: string;
      status: string;
      reason: string;
      message: string;
      lastUpdateTime: string;
      lastTransitionTime: string;
    }>;
  };
  complete: boolean;
  stuck: boolean;
}

const DEFAULT_STEP_SECONDS = 20;
const DEFAULT_DEADLINE_SECONDS = 120;

/**
 * The Deployment `desired` replicas rolling from the old ReplicaSet to the
 * new one (`newReplicaSet`, for the condition messages) since `startedAt`.
 */
export function simulateDeployment(options: {
  behaviour: DeploymentBehaviour;
  desired: number;
  newReplicaSet: string;
  startedAt: number;
  now: number;
  time: (ms: number) => string;
}): DeploymentSnapshot {
  const { behaviour, desired, startedAt, now, time } = options;
  const strategy = behaviour.strategy ?? 'RollingUpdate';
  const stuck = behaviour.rollout === 'stuck';
  const step = (behaviour.stepSeconds ?? DEFAULT_STEP_SECONDS) * 1000;
  const deadline =
    behaviour.progressDeadlineSeconds ?? DEFAULT_DEADLINE_SECONDS;
  // the API server's defaults: 25%, surge rounded up, unavailable down
  const maxSurge = strategy === 'Recreate' ? 0 : Math.ceil(desired * 0.25);
  const maxUnavailable =
    strategy === 'Recreate' ? 0 : Math.floor(desired * 0.25);
  const ticks = Math.max(0, Math.floor((now - startedAt) / step));

  let oldReplicas = desired;
  let oldReady = desired;
  let newReplicas = 0;
  let newReady = 0;
  let lastProgress = startedAt;
  let availableSince = startedAt - 3_600_000;
  let unavailableSince: number | undefined;
  const note = (at: number, before: number[], after: number[]) => {
    if (before.some((v, i) => v !== after[i])) lastProgress = at;
  };
  for (let tick = 0; tick <= ticks; tick++) {
    const at = startedAt + tick * step;
    const before = [oldReplicas, oldReady, newReplicas, newReady];
    if (!stuck) newReady = newReplicas;
    if (strategy === 'Recreate') {
      if (tick === 0) {
        // every old Pod is told to stop: none serves any more
        oldReady = 0;
      } else if (oldReplicas > 0) {
        oldReplicas = 0;
        newReplicas = desired;
      }
    } else {
      oldReplicas = Math.min(
        oldReplicas,
        Math.max(0, desired - maxUnavailable - newReady),
      );
      oldReady = oldReplicas;
      newReplicas = Math.min(desired, desired + maxSurge - oldReplicas);
    }
    note(at, before, [oldReplicas, oldReady, newReplicas, newReady]);
    const available = oldReady + newReady;
    if (available < desired - maxUnavailable || available === 0) {
      unavailableSince ??= at;
    } else if (unavailableSince !== undefined) {
      unavailableSince = undefined;
      availableSince = at;
    }
  }

  const complete =
    oldReplicas === 0 && newReady === desired && newReplicas === desired;
  const overdue = !complete && now - lastProgress > deadline * 1000;
  const available = oldReady + newReady;
  const total = oldReplicas + newReplicas;
  const minimumAvailable =
    available >= desired - maxUnavailable && available > 0;
  let progressing: Omit<
    DeploymentSnapshot['status']['conditions'][number],
    'type'
  >;
  if (complete) {
    progressing = {
      status: 'True',
      reason: 'NewReplicaSetAvailable',
      message: `ReplicaSet "${options.newReplicaSet}" has successfully progressed.`,
      lastUpdateTime: time(lastProgress),
      lastTransitionTime: time(startedAt),
    };
  } else if (overdue) {
    progressing = {
      status: 'False',
      reason: 'ProgressDeadlineExceeded',
      message: `ReplicaSet "${options.newReplicaSet}" has timed out progressing.`,
      lastUpdateTime: time(lastProgress + deadline * 1000),
      lastTransitionTime: time(lastProgress + deadline * 1000),
    };
  } else {
    progressing = {
      status: 'True',
      reason: 'ReplicaSetUpdated',
      message: `ReplicaSet "${options.newReplicaSet}" is progressing.`,
      lastUpdateTime: time(lastProgress),
      lastTransitionTime: time(startedAt),
    };
  }
  const availableCondition = minimumAvailable
    ? {
        type: 'Available',
        status: 'True',
        reason: 'MinimumReplicasAvailable',
        message: 'Deployment has minimum availability.',
        lastUpdateTime: time(availableSince),
        lastTransitionTime: time(availableSince),
      }
    : {
        type: 'Available',
        status: 'False',
        reason: 'MinimumReplicasUnavailable',
        message: 'Deployment does not have minimum availability.',
        lastUpdateTime: time(unavailableSince ?? startedAt),
        lastTransitionTime: time(unavailableSince ?? startedAt),
      };
  return {
    strategy,
    maxSurge,
    maxUnavailable,
    progressDeadlineSeconds: deadline,
    oldReplicas,
    oldReady,
    newReplicas,
    newReady,
    status: {
      replicas: total,
      updatedReplicas: newReplicas,
      readyReplicas: available,
      availableReplicas: available,
      ...(total - available > 0
        ? { unavailableReplicas: total - available }
        : {}),
      conditions: [availableCondition, { type: 'Progressing', ...progressing }],
    },
    complete,
    stuck: overdue,
  };
}

/** What appResources gives the builder below (its own closures). */
export interface DeploymentBuildContext {
  /** appResources' add: one live resource of the Application. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  add: (spec: any) => {
    group: string;
    version: string;
    kind: string;
    namespace: string;
    name: string;
    uid: string;
  };
  service: string;
  namespace: string;
  desired: number;
  oldImage: string;
  oldHash: string;
  newImage: string;
  newHash: string;
  revision: number;
  startedAt: number;
  now: number;
  time: (ms: number) => string;
  behaviour: DeploymentBehaviour;
  /** The Application's name and the image Git asks for (the target object). */
  appName: string;
  targetImage: string;
}

/**
 * The Deployment, its new and old ReplicaSets and their Pods at the
 * simulated present, added through `add`; returns the snapshot.
 */
export function addSimulatedDeployment(ctx: DeploymentBuildContext) {
  const { add, service: svc } = ctx;
  const newRs = `${svc}-${ctx.newHash}`;
  const oldRs = `${svc}-${ctx.oldHash}`;
  const snap = simulateDeployment({
    behaviour: ctx.behaviour,
    desired: ctx.desired,
    newReplicaSet: newRs,
    startedAt: ctx.startedAt,
    now: ctx.now,
    time: ctx.time,
  });
  const strategy =
    snap.strategy === 'Recreate'
      ? { type: 'Recreate' }
      : {
          type: 'RollingUpdate',
          rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' },
        };
  const template = (image: string) => ({
    metadata: { labels: { app: svc } },
    spec: { containers: [{ name: svc, image }] },
  });
  let message: string | undefined;
  let health: { status: string; message?: string } = { status: 'Healthy' };
  if (snap.stuck) {
    message = `Deployment "${svc}" exceeded its progress deadline`;
    health = { status: 'Degraded', message };
  } else if (!snap.complete) {
    message = `Waiting for rollout to finish: ${snap.newReady} of ${ctx.desired} updated replicas are available...`;
    health = { status: 'Progressing', message };
  }
  const deployment = add({
    group: 'apps',
    version: 'v1',
    kind: 'Deployment',
    name: svc,
    managed: true,
    health,
    body: {
      metadata: {
        generation: ctx.revision,
        annotations: {
          'deployment.kubernetes.io/revision': String(ctx.revision),
        },
      },
      spec: {
        replicas: ctx.desired,
        progressDeadlineSeconds: snap.progressDeadlineSeconds,
        revisionHistoryLimit: 10,
        selector: { matchLabels: { app: svc } },
        strategy,
        template: template(ctx.newImage),
      },
      status: { observedGeneration: ctx.revision, ...snap.status },
    },
    target: {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: {
        name: svc,
        namespace: ctx.namespace,
        labels: { 'app.kubernetes.io/instance': ctx.appName },
      },
      spec: {
        replicas: ctx.desired,
        progressDeadlineSeconds: snap.progressDeadlineSeconds,
        selector: { matchLabels: { app: svc } },
        strategy,
        template: template(ctx.targetImage),
      },
    },
  });
  const parentOf = (r: ReturnType<DeploymentBuildContext['add']>) => ({
    group: r.group,
    version: r.version,
    kind: r.kind,
    namespace: r.namespace,
    name: r.name,
    uid: r.uid,
  });
  const replicaSet = (
    name: string,
    hash: string,
    image: string,
    revision: number,
    replicas: number,
    ready: number,
  ) => {
    const rs = add({
      group: 'apps',
      version: 'v1',
      kind: 'ReplicaSet',
      name,
      managed: false,
      parent: parentOf(deployment),
      info: [{ name: 'Revision', value: `Rev:${revision}` }],
      health:
        ready < replicas
          ? {
              status: 'Progressing',
              message: `Waiting for rollout to finish: ${ready} of ${replicas} updated replicas are available...`,
            }
          : { status: 'Healthy' },
      body: {
        metadata: {
          labels: { app: svc, 'pod-template-hash': hash },
          annotations: {
            'deployment.kubernetes.io/revision': String(revision),
          },
        },
        spec: {
          replicas,
          selector: { matchLabels: { app: svc } },
          template: template(image),
        },
        status: {
          replicas,
          readyReplicas: ready,
          availableReplicas: ready,
          observedGeneration: 1,
        },
      },
    });
    for (let i = 0; i < replicas; i++) {
      const isReady = i < ready;
      const waiting = snap.stuck || ctx.behaviour.rollout === 'stuck';
      let reason = 'Running';
      let podHealth: { status: string; message?: string } = {
        status: 'Healthy',
      };
      if (!isReady && waiting) {
        reason = 'CrashLoopBackOff';
        podHealth = {
          status: 'Degraded',
          message: `back-off 5m0s restarting failed container=${svc}`,
        };
      } else if (!isReady) {
        reason = 'ContainerCreating';
        podHealth = { status: 'Progressing', message: 'ContainerCreating' };
      }
      add({
        group: '',
        version: 'v1',
        kind: 'Pod',
        name: `${name}-p${i}`,
        managed: false,
        parent: parentOf(rs),
        images: [image],
        info: [
          {
            name: 'Status Reason',
            value: reason,
          },
          { name: 'Containers', value: isReady ? '1/1' : '0/1' },
        ],
        health: podHealth,
        body: {
          metadata: { labels: { app: svc, 'pod-template-hash': hash } },
          spec: { containers: [{ name: svc, image }] },
          status: { phase: isReady ? 'Running' : 'Pending' },
        },
      });
    }
  };
  replicaSet(
    newRs,
    ctx.newHash,
    ctx.newImage,
    ctx.revision,
    snap.newReplicas,
    snap.newReady,
  );
  if (ctx.oldHash !== ctx.newHash) {
    replicaSet(
      oldRs,
      ctx.oldHash,
      ctx.oldImage,
      ctx.revision - 1,
      snap.oldReplicas,
      snap.oldReady,
    );
  }
  return snap;
}
