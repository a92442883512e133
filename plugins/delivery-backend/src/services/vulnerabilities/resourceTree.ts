import type {
  ScanResourceRef,
  ScanTreeNode,
} from '@gitops-delivery/backstage-plugin-delivery-node';
import { digestFromImageId } from './imageReference';

/** The fields of an Argo CD resource-tree node that are read here. @public */
export type TreeNode = ScanTreeNode;

/** A resource to fetch through Argo CD's resource API. @public */
export type TreeResourceRef = ScanResourceRef;

/** Argo Rollouts names a revision's ReplicaSet `<rollout>-<pod template hash>`. */
export function replicaSetName(
  rollout: string,
  podTemplateHash: string,
): string {
  return `${rollout}-${podTemplateHash}`;
}

function childrenOf(
  nodes: TreeNode[],
  parentKind: string,
  parentName: string,
  namespace: string,
): TreeNode[] {
  return nodes.filter(n =>
    (n.parentRefs ?? []).some(
      p =>
        p.kind === parentKind &&
        p.name === parentName &&
        (p.namespace ?? namespace) === namespace,
    ),
  );
}

function toRef(
  node: TreeNode,
  fallbackNamespace: string,
): TreeResourceRef | undefined {
  if (!node.kind || !node.name || !node.version) return undefined;
  return {
    group: node.group ?? '',
    version: node.version,
    kind: node.kind,
    namespace: node.namespace ?? fallbackNamespace,
    name: node.name,
  };
}

/**
 * The Trivy Operator VulnerabilityReports of one rollout revision: the
 * operator reports a Rollout per ReplicaSet and owns the report by it, so
 * they are the ReplicaSet's VulnerabilityReport children in the tree.
 */
export function vulnerabilityReportRefs(
  nodes: TreeNode[],
  rollout: { name: string; namespace: string },
  podTemplateHash: string,
): TreeResourceRef[] {
  const rs = replicaSetName(rollout.name, podTemplateHash);
  return childrenOf(nodes, 'ReplicaSet', rs, rollout.namespace)
    .filter(
      n =>
        n.kind === 'VulnerabilityReport' &&
        n.group === 'aquasecurity.github.io',
    )
    .flatMap(n => toRef(n, rollout.namespace) ?? []);
}

/** The Pods of one rollout revision (children of its ReplicaSet). */
export function podRefs(
  nodes: TreeNode[],
  rollout: { name: string; namespace: string },
  podTemplateHash: string,
): TreeResourceRef[] {
  const rs = replicaSetName(rollout.name, podTemplateHash);
  return childrenOf(nodes, 'ReplicaSet', rs, rollout.namespace)
    .filter(n => n.kind === 'Pod' && !n.group)
    .flatMap(n => toRef(n, rollout.namespace) ?? []);
}

/**
 * The digest each container image of a live Pod runs, from
 * `status.containerStatuses[].imageID`: the tag in the spec may have moved,
 * the digest the kubelet pulled has not.
 */
export function podImageDigests(pod: unknown): Record<string, string> {
  const statuses = (pod as { status?: { containerStatuses?: unknown } })?.status
    ?.containerStatuses;
  const result: Record<string, string> = {};
  for (const s of Array.isArray(statuses) ? statuses : []) {
    const image = (s as { image?: unknown })?.image;
    const digest = digestFromImageId((s as { imageID?: unknown })?.imageID);
    if (typeof image === 'string' && digest) result[image] = digest;
  }
  return result;
}
