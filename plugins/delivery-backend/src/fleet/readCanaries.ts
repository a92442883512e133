import type { FleetCanary } from '@gitops-delivery/backstage-plugin-delivery-common';
import { managedRollouts } from '../services/overview/rolloutResources';
import type { RolloutObject } from '../services/overview/rolloutTypes';
import { toRolloutView } from '../services/overview/rolloutView';
import type { CellFacts } from './assembleFleet';
import type { FleetArgoCd, ListedApplication } from './fleetTypes';

/** The cell's view of a live canary Rollout (undefined: nothing under way). */
export function toFleetCanary(
  rollout: RolloutObject,
  listed: ListedApplication,
  now: Date,
): FleetCanary | undefined {
  const view = toRolloutView({
    instance: listed.instance,
    application: listed.application.metadata.name,
    appNamespace: listed.application.metadata.namespace,
    rollout,
    treeNodes: [],
    analysisRuns: [],
    actions: [],
    now,
  });
  if (view.strategy !== 'canary' || (view.fullyPromoted && !view.aborted)) {
    return undefined;
  }
  const steps = view.steps.length;
  const index = view.currentStepIndex;
  const image = rollout.spec?.template?.spec?.containers?.[0]?.image;
  return {
    rollout: view.name,
    phase: view.aborted ? 'Aborted' : view.phase ?? view.health.status,
    ...(index !== undefined && steps > 0
      ? { step: Math.min(index + 1, steps), steps }
      : {}),
    canaryWeight: view.canaryWeight,
    aborted: view.aborted,
    ...(image ? { image } : {}),
  };
}

/**
 * Reads, in parallel, the Rollouts of the cells that show a canary, through
 * the plugin's Argo CD client (cached and coalesced like the tab's reads of
 * the same Rollout), and keeps each with its cell (the cell's signals are
 * computed over them). A Rollout that cannot be read marks its cell.
 */
export async function readCanaries(
  argocd: FleetArgoCd,
  cells: CellFacts[],
  now: Date = new Date(),
): Promise<void> {
  await Promise.all(
    cells.flatMap(cell =>
      cell.applications.flatMap(listed =>
        // only the Rollouts not Healthy in the Application's resource list
        // show a step and a weight, so only those are read
        managedRollouts(listed.application, { unsettledOnly: true }).map(
          async resource => {
            const { metadata, spec } = listed.application;
            try {
              const rollout = await argocd.getResource(
                listed.instance,
                {
                  name: metadata.name,
                  appNamespace: metadata.namespace,
                  project: spec?.project,
                },
                resource,
              );
              cell.rollouts.push({
                listed,
                resource,
                rollout: rollout as RolloutObject,
              });
              const canary = toFleetCanary(
                rollout as RolloutObject,
                listed,
                now,
              );
              if (canary) cell.canaries.push(canary);
            } catch (error) {
              cell.errors.push(
                `Rollout ${resource.namespace}/${resource.name}: ${
                  (error as Error).message
                }`,
              );
            }
          },
        ),
      ),
    ),
  );
}
