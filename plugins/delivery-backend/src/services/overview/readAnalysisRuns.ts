import type { JsonObject } from '@backstage/types';
import type { ArgoCdResourceNode } from '@gitops-delivery/backstage-plugin-delivery-node';
import { isRunOfCurrentRevision } from './analysisRunView';
import { analysisRunNamesInStatus } from './rolloutView';
import { currentAnalysisRunNodes, type NamedNode } from './rolloutResources';
import type { AnalysisRunObject, RolloutObject } from './rolloutTypes';

/**
 * The AnalysisRuns of the Rollout's current revision: those of the tree's
 * nodes that may be one, each read through `read` (undefined: it could not
 * be read), kept when they are of that revision. The overview's and the
 * fleet's reads share it.
 */
export async function readAnalysisRuns(
  nodes: NamedNode[],
  rolloutNode: ArgoCdResourceNode,
  rollout: RolloutObject,
  read: (node: NamedNode) => Promise<JsonObject | undefined>,
): Promise<AnalysisRunObject[]> {
  const hash = rollout.status?.currentPodHash;
  const named = analysisRunNamesInStatus(rollout);
  const candidates = currentAnalysisRunNodes(nodes, rolloutNode, rollout);
  const runs = await Promise.all(candidates.map(read));
  return runs
    .filter((r): r is NonNullable<typeof r> => r !== undefined)
    .map(r => r as AnalysisRunObject)
    .filter(r => isRunOfCurrentRevision(r, hash, named));
}
