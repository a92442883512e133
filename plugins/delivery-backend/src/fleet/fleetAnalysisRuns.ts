import { withDeadline } from '../services/overview/deadline';
import { readAnalysisRuns } from '../services/overview/readAnalysisRuns';
import { isNode, resourceRef } from '../services/overview/rolloutResources';
import type { RolloutObject } from '../services/overview/rolloutTypes';
import type { RowFacts } from './assembleFleet';
import type { FleetArgoCd } from './fleetTypes';

const causeOf = (error: unknown) =>
  error instanceof Error ? error.message : String(error);

/** Whether a Rollout's strategy runs analyses (whose runs the policy reads). */
export function runsAnalyses(rollout: RolloutObject): boolean {
  const strategy = (rollout.spec?.strategy ?? {}) as {
    canary?: { analysis?: unknown; steps?: Array<{ analysis?: unknown }> };
    blueGreen?: {
      prePromotionAnalysis?: unknown;
      postPromotionAnalysis?: unknown;
    };
  };
  return Boolean(
    strategy.canary?.analysis ||
      strategy.canary?.steps?.some(step => step.analysis) ||
      strategy.blueGreen?.prePromotionAnalysis ||
      strategy.blueGreen?.postPromotionAnalysis,
  );
}

/**
 * Reads the AnalysisRuns of the row's Rollouts in progress that run
 * analyses, as the tab does (readAnalysisRuns over the Application's
 * resource tree), through the plugin's Argo CD client, so the tab's cached
 * and coalesced reads of the same tree and runs serve both. Only the
 * Rollouts the fleet read are concerned (those of cells with a Rollout
 * under way); a settled cell costs no read. Each read ends by `deadline`;
 * a failure is kept on its Rollout (its Application is then incomplete and
 * the policy is not evaluated over it, as on the tab).
 */
export async function readRowAnalysisRuns(
  argocd: Pick<FleetArgoCd, 'getResource' | 'getResourceTree'>,
  row: RowFacts,
  deadline: number,
): Promise<void> {
  const reads = row.cells.flatMap(cell =>
    cell.rollouts.filter(read => runsAnalyses(read.rollout)),
  );
  await Promise.all(
    reads.map(async read => {
      const { instance, application } = read.listed;
      const app = {
        name: application.metadata.name,
        appNamespace: application.metadata.namespace,
        project: application.spec?.project,
      };
      const what = `Rollout ${read.resource.namespace}/${read.resource.name}`;
      const failures: string[] = [];
      try {
        const tree = await withDeadline(
          argocd.getResourceTree(instance, app),
          deadline,
          `resource tree of ${app.name}`,
        );
        read.analysisRuns = await readAnalysisRuns(
          (tree.nodes ?? []).filter(isNode),
          read.resource,
          read.rollout,
          node =>
            withDeadline(
              argocd.getResource(instance, app, resourceRef(node)),
              deadline,
              `AnalysisRun ${node.namespace}/${node.name} of ${what}`,
            ).catch(error => {
              failures.push(causeOf(error));
              return undefined;
            }),
        );
      } catch (error) {
        failures.push(causeOf(error));
      }
      if (failures.length > 0) read.analysisErrors = failures;
    }),
  );
}
