import type {
  DeploymentCondition,
  DeploymentReplicaSet,
  DeploymentView,
  HealthStatus,
} from '@gitops-delivery/backstage-plugin-delivery-common';
import type { ArgoCdResourceNode } from '@gitops-delivery/backstage-plugin-delivery-node';
import type {
  DeploymentConditionObject,
  DeploymentObject,
} from './deploymentTypes';
import { replicaSetImages } from './rolloutView';

/** What toDeploymentView needs besides the live Deployment. @public */
export interface DeploymentViewInput {
  instance: string;
  application: string;
  appNamespace?: string;
  deployment: DeploymentObject;
  /** The Application's resource tree (ReplicaSets, Pods, health). */
  treeNodes: ReadonlyArray<ArgoCdResourceNode>;
  /** When the view is computed (deadline and downtime). */
  now: Date;
}

const HEALTH: ReadonlyArray<HealthStatus> = [
  'Healthy',
  'Progressing',
  'Degraded',
  'Suspended',
  'Missing',
  'Unknown',
];

/** The reason of the Progressing condition once the deadline has passed. */
export const PROGRESS_DEADLINE_EXCEEDED = 'ProgressDeadlineExceeded';

const REVISION = 'deployment.kubernetes.io/revision';

function condition(
  conditions: DeploymentConditionObject[] | undefined,
  type: string,
): DeploymentCondition | undefined {
  const c = (conditions ?? []).find(x => x.type === type);
  if (!c) return undefined;
  return {
    status: c.status ?? 'Unknown',
    reason: c.reason,
    message: c.message,
    lastUpdateTime: c.lastUpdateTime,
    lastTransitionTime: c.lastTransitionTime,
  };
}

const count = (n: unknown) =>
  typeof n === 'number' && Number.isFinite(n) ? n : 0;

const intOrString = (v: number | string | undefined) =>
  v === undefined ? undefined : String(v);

/** The revision Argo CD reports on a ReplicaSet node (`Rev:4`). */
function nodeRevision(node: ArgoCdResourceNode): string | undefined {
  const value = node.info?.find(i => i.name === 'Revision')?.value;
  return value?.replace(/^Rev:/, '');
}

/** The ReplicaSet name a Progressing condition's message names. */
function replicaSetInMessage(message: string | undefined): string | undefined {
  return message?.match(/ReplicaSet "([^"]+)"/)?.[1];
}

function isChildOf(node: ArgoCdResourceNode, kind: string, name: string) {
  return Boolean(
    node.parentRefs?.some(p => p.kind === kind && p.name === name),
  );
}

/**
 * The Deployment's ReplicaSets from the tree: the new one (the Deployment's
 * revision, else the one its Progressing condition names, else the newest)
 * first, then the old ones that still have Pods, newest first.
 */
export function deploymentReplicaSets(
  nodes: ReadonlyArray<ArgoCdResourceNode>,
  deployment: DeploymentObject,
): DeploymentReplicaSet[] {
  const name = deployment.metadata?.name ?? '';
  const namespace = deployment.metadata?.namespace;
  const sets = nodes.filter(
    n =>
      n.kind === 'ReplicaSet' &&
      typeof n.name === 'string' &&
      (namespace === undefined || n.namespace === namespace) &&
      isChildOf(n, 'Deployment', name),
  );
  if (sets.length === 0) return [];
  const revision = deployment.metadata?.annotations?.[REVISION];
  const progressing = condition(deployment.status?.conditions, 'Progressing');
  const newest = (a: ArgoCdResourceNode, b: ArgoCdResourceNode) =>
    Number(nodeRevision(b) ?? 0) - Number(nodeRevision(a) ?? 0) ||
    String(b.createdAt ?? '').localeCompare(String(a.createdAt ?? ''));
  const ordered = [...sets].sort(newest);
  const current =
    (revision !== undefined
      ? ordered.find(n => nodeRevision(n) === revision)
      : undefined) ??
    ordered.find(n => n.name === replicaSetInMessage(progressing?.message)) ??
    ordered[0];
  return ordered
    .map((node): DeploymentReplicaSet => {
      const rsName = node.name ?? '';
      const pods = nodes.filter(
        p => p.kind === 'Pod' && isChildOf(p, 'ReplicaSet', rsName),
      );
      const health = node.health?.status as HealthStatus | undefined;
      return {
        name: rsName,
        revision: nodeRevision(node),
        new: node === current,
        images: replicaSetImages(nodes, rsName),
        health:
          health && HEALTH.includes(health)
            ? { status: health, message: node.health?.message }
            : undefined,
        pods: pods.length,
        readyPods: pods.filter(p => p.health?.status === 'Healthy').length,
      };
    })
    .filter(rs => rs.new || rs.pods > 0)
    .sort((a, b) => Number(b.new) - Number(a.new));
}

/** The state of the rollout and its `kubectl rollout status` message. */
function rolloutState(
  deployment: DeploymentObject,
  desired: number,
  replicas: DeploymentView['replicas'],
  progressing: DeploymentCondition | undefined,
): Pick<DeploymentView, 'state' | 'message'> {
  const name = deployment.metadata?.name ?? '';
  const status = deployment.status;
  if (deployment.spec?.paused) {
    return { state: 'paused', message: `Deployment "${name}" is paused` };
  }
  if (!status) {
    return { state: 'unknown', message: 'The controller reports no status' };
  }
  const generation = deployment.metadata?.generation;
  if (
    generation !== undefined &&
    count(status.observedGeneration) < generation
  ) {
    return {
      state: 'progressing',
      message: 'Waiting for deployment spec update to be observed',
    };
  }
  if (progressing?.reason === PROGRESS_DEADLINE_EXCEEDED) {
    return {
      state: 'stuck',
      message: `Deployment "${name}" exceeded its progress deadline${
        progressing.message ? `: ${progressing.message}` : ''
      }`,
    };
  }
  if (replicas.updated < desired) {
    return {
      state: 'progressing',
      message: `Waiting for rollout to finish: ${replicas.updated} out of ${desired} new replicas have been updated`,
    };
  }
  if (replicas.current > replicas.updated) {
    return {
      state: 'progressing',
      message: `Waiting for rollout to finish: ${
        replicas.current - replicas.updated
      } old replicas are pending termination`,
    };
  }
  if (replicas.available < replicas.updated) {
    return {
      state: 'progressing',
      message: `Waiting for rollout to finish: ${replicas.available} of ${replicas.updated} updated replicas are available`,
    };
  }
  return {
    state: 'complete',
    message: `Deployment "${name}" successfully rolled out`,
  };
}

/** Argo CD's health of a Deployment (gitops-engine health_deployment.go). */
function derivedHealth(
  state: DeploymentView['state'],
  message: string | undefined,
): DeploymentView['health'] {
  switch (state) {
    case 'paused':
      return { status: 'Suspended', message };
    case 'stuck':
      return { status: 'Degraded', message };
    case 'progressing':
      return { status: 'Progressing', message };
    case 'complete':
      return { status: 'Healthy' };
    default:
      return { status: 'Unknown', message };
  }
}

const addSeconds = (iso: string | undefined, seconds: number | undefined) => {
  if (!iso || seconds === undefined) return undefined;
  const at = Date.parse(iso);
  return Number.isNaN(at) ? undefined : new Date(at + seconds * 1000);
};

/**
 * Builds the view of one plain Deployment: its replicas against the
 * strategy's limits, the new and old ReplicaSets with their images, the
 * progress deadline (and a stuck rollout's condition) and, for Recreate,
 * how long no replica has been available.
 */
export function toDeploymentView(input: DeploymentViewInput): DeploymentView {
  const { deployment, treeNodes, now } = input;
  const name = deployment.metadata?.name ?? '';
  const namespace = deployment.metadata?.namespace ?? '';
  const spec = deployment.spec ?? {};
  const status = deployment.status ?? {};
  const strategy =
    spec.strategy?.type === 'Recreate' ? 'recreate' : 'rollingUpdate';
  const desired = typeof spec.replicas === 'number' ? spec.replicas : 1;
  const replicas = {
    desired,
    current: count(status.replicas),
    updated: count(status.updatedReplicas),
    ready: count(status.readyReplicas),
    available: count(status.availableReplicas),
    unavailable: count(status.unavailableReplicas),
  };
  const progressing = condition(status.conditions, 'Progressing');
  const available = condition(status.conditions, 'Available');
  const { state, message } = rolloutState(
    deployment,
    desired,
    replicas,
    progressing,
  );

  const node = treeNodes.find(
    n =>
      n.kind === 'Deployment' && n.name === name && n.namespace === namespace,
  );
  const treeHealth = node?.health?.status as HealthStatus | undefined;
  const health =
    treeHealth && HEALTH.includes(treeHealth)
      ? { status: treeHealth, message: node?.health?.message }
      : derivedHealth(state, message);

  const replicaSets = deploymentReplicaSets(treeNodes, deployment);
  const templateImages = (spec.template?.spec?.containers ?? [])
    .map(c => c.image)
    .filter((i): i is string => typeof i === 'string');
  const newSet = replicaSets.find(rs => rs.new);
  const newImages =
    templateImages.length > 0 ? templateImages : newSet?.images ?? [];
  const oldImages = [
    ...new Set(replicaSets.filter(rs => !rs.new).flatMap(rs => rs.images)),
  ].filter(i => !newImages.includes(i));

  const deadline = spec.progressDeadlineSeconds;
  const deadlineAt =
    state === 'progressing'
      ? addSeconds(progressing?.lastUpdateTime, deadline)
      : undefined;

  let downtime: DeploymentView['downtime'];
  if (
    strategy === 'recreate' &&
    (state === 'progressing' || state === 'stuck') &&
    desired > 0 &&
    replicas.available === 0
  ) {
    const since =
      (available?.status === 'False'
        ? available.lastTransitionTime
        : undefined) ?? progressing?.lastUpdateTime;
    const at = since ? Date.parse(since) : NaN;
    if (!Number.isNaN(at)) {
      downtime = {
        since: new Date(at).toISOString(),
        seconds: Math.max(0, Math.round((now.getTime() - at) / 1000)),
      };
    }
  }

  return {
    instance: input.instance,
    application: input.application,
    appNamespace: input.appNamespace,
    namespace,
    name,
    strategy,
    state,
    health,
    message,
    revision: deployment.metadata?.annotations?.[REVISION],
    replicas,
    maxSurge:
      strategy === 'rollingUpdate'
        ? intOrString(spec.strategy?.rollingUpdate?.maxSurge) ?? '25%'
        : undefined,
    maxUnavailable:
      strategy === 'rollingUpdate'
        ? intOrString(spec.strategy?.rollingUpdate?.maxUnavailable) ?? '25%'
        : undefined,
    progressDeadlineSeconds: deadline,
    progressDeadlineAt: deadlineAt?.toISOString(),
    progressing,
    available,
    paused: spec.paused === true,
    replicaSets,
    newImages,
    oldImages,
    downtime,
  };
}
