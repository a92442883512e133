import type { JsonObject } from '@backstage/types';
import type {
  ArgoCdApplication,
  ArgoCdResourceNode,
  ArgoCdResourceRef,
} from '@gitops-delivery/backstage-plugin-delivery-node';
import type { DeploymentObject } from './deploymentTypes';
import type { RolloutObject } from './rolloutTypes';

/** The API group of Deployments. */
export const DEPLOYMENT_GROUP = 'apps';

const key = (r: { namespace?: string; name?: string }) =>
  `${r.namespace ?? ''}/${r.name ?? ''}`;

const ref = (r: {
  version?: string;
  namespace?: string;
  name?: string;
}): ArgoCdResourceRef => ({
  group: DEPLOYMENT_GROUP,
  version: r.version ?? 'v1',
  kind: 'Deployment',
  namespace: r.namespace ?? '',
  name: r.name ?? '',
});

/** The Deployments an Application lists among its managed resources. */
export function managedDeployments(
  application: Pick<ArgoCdApplication, 'status'>,
): ArgoCdResourceRef[] {
  return (application.status?.resources ?? [])
    .filter(
      r =>
        r.kind === 'Deployment' &&
        r.group === DEPLOYMENT_GROUP &&
        typeof r.name === 'string',
    )
    .map(ref);
}

/** The Deployment nodes at the top of a resource tree (no parent). */
export function deploymentNodes(
  nodes: ReadonlyArray<ArgoCdResourceNode>,
): ArgoCdResourceRef[] {
  return nodes
    .filter(
      n =>
        n.kind === 'Deployment' &&
        n.group === DEPLOYMENT_GROUP &&
        typeof n.name === 'string' &&
        (n.parentRefs ?? []).length === 0,
    )
    .map(ref);
}

/** One Deployment as read from Argo CD. */
export interface LoadedDeployment {
  resource: ArgoCdResourceRef;
  deployment: DeploymentObject;
}

/**
 * Reads an Application's Deployments: those it lists are read at once
 * (alongside its tree); `more` adds those only the tree shows (an
 * Application that does not list what it manages). A read that fails is
 * left out (`read` notes why).
 */
export function deploymentReads(
  application: Pick<ArgoCdApplication, 'status'>,
  read: (resource: ArgoCdResourceRef) => Promise<JsonObject | undefined>,
) {
  const started = new Map(
    managedDeployments(application).map(r => [key(r), read(r)]),
  );
  return {
    /** Adds the tree's Deployments not read yet and waits for all. */
    async all(
      nodes: ReadonlyArray<ArgoCdResourceNode> = [],
    ): Promise<LoadedDeployment[]> {
      for (const r of deploymentNodes(nodes)) {
        if (!started.has(key(r))) started.set(key(r), read(r));
      }
      const refs = new Map(
        [...managedDeployments(application), ...deploymentNodes(nodes)].map(
          r => [key(r), r],
        ),
      );
      const reads = await Promise.all(
        [...started].map(async ([k, p]) => ({ k, object: await p })),
      );
      return reads.flatMap(({ k, object }) =>
        object && refs.has(k)
          ? [
              {
                resource: refs.get(k)!,
                deployment: object as DeploymentObject,
              },
            ]
          : [],
      );
    },
  };
}

/**
 * Leaves out the Deployments a Rollout runs through `workloadRef` (the
 * Rollout's view shows that rollout; the Deployment is its template).
 */
export function withoutWorkloadRefs(
  deployments: LoadedDeployment[],
  rollouts: ReadonlyArray<RolloutObject>,
): LoadedDeployment[] {
  const referenced = new Set(
    rollouts
      .filter(r => (r.spec?.workloadRef?.kind ?? 'Deployment') === 'Deployment')
      .map(r =>
        r.spec?.workloadRef?.name
          ? key({
              namespace: r.metadata?.namespace,
              name: r.spec.workloadRef.name,
            })
          : undefined,
      )
      .filter((k): k is string => k !== undefined),
  );
  return deployments.filter(d => !referenced.has(key(d.resource)));
}
