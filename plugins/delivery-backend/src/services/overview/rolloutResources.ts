import type {
  ArgoCdApplication,
  ArgoCdResourceNode,
  ArgoCdResourceRef,
} from '@gitops-delivery/backstage-plugin-delivery-node';
import { analysisRunNamesInStatus } from './rolloutView';
import type { RolloutObject } from './rolloutTypes';

/** The API group of Argo Rollouts' resources. */
export const ROLLOUT_GROUP = 'argoproj.io';

/** A resource-tree node that has a kind and a name. */
export type NamedNode = ArgoCdResourceNode & { kind: string; name: string };

/** Whether a tree node has a kind and a name. */
export function isNode(node: ArgoCdResourceNode): node is NamedNode {
  return typeof node.kind === 'string' && typeof node.name === 'string';
}

/** The resource reference of a tree node. */
export function resourceRef(node: ArgoCdResourceNode): ArgoCdResourceRef {
  return {
    group: node.group ?? '',
    version: node.version ?? 'v1alpha1',
    kind: node.kind ?? '',
    namespace: node.namespace ?? '',
    name: node.name ?? '',
  };
}

/** A Rollout's key among an Application's resources. */
export const keyOf = (r: ArgoCdResourceRef) => `${r.namespace}/${r.name}`;

/** What an Application lists of its managed resources (swagger `v1alpha1ResourceStatus`). */
interface ResourceListing {
  status?: {
    resources?: Array<{
      group?: string;
      version?: string;
      kind?: string;
      namespace?: string;
      name?: string;
      health?: { status?: string };
    }>;
  };
}

/**
 * The Rollouts an Application lists among its managed resources; with
 * `unsettledOnly`, only those not Healthy there (a canary under way,
 * paused or aborted).
 */
export function managedRollouts(
  application: ResourceListing,
  options: { unsettledOnly?: boolean } = {},
): ArgoCdResourceRef[] {
  return (application.status?.resources ?? [])
    .filter(
      r =>
        r.kind === 'Rollout' &&
        r.group === ROLLOUT_GROUP &&
        typeof r.name === 'string' &&
        (!options.unsettledOnly || r.health?.status !== 'Healthy'),
    )
    .map(r => ({
      group: ROLLOUT_GROUP,
      version: r.version ?? 'v1alpha1',
      kind: 'Rollout',
      namespace: r.namespace ?? '',
      name: r.name ?? '',
    }));
}

/**
 * Whether the Application's resource tree is worth a call: when it manages a
 * Rollout, or when it does not list what it manages (older or trimmed data).
 */
export function needsTree(application: ArgoCdApplication): boolean {
  const managed = application.status?.resources;
  return (
    !Array.isArray(managed) ||
    managed.length === 0 ||
    managedRollouts(application).length > 0
  );
}

/**
 * The AnalysisRun nodes of a Rollout's current revision: those its status
 * names, and those named <rollout>-<pod hash>-<revision>[-<step>] for its
 * current pod hash.
 */
export function currentAnalysisRunNodes(
  nodes: NamedNode[],
  rolloutNode: ArgoCdResourceNode,
  rollout: RolloutObject,
): NamedNode[] {
  const hash = rollout.status?.currentPodHash;
  const named = analysisRunNamesInStatus(rollout);
  const name = rolloutNode.name ?? '';
  return nodes.filter(
    n =>
      n.kind === 'AnalysisRun' &&
      n.namespace === rolloutNode.namespace &&
      (named.includes(n.name) ||
        (hash !== undefined && n.name.startsWith(`${name}-${hash}-`))),
  );
}
