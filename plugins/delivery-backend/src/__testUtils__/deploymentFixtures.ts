import type { ArgoCdApplicationTree } from '@gitops-delivery/backstage-plugin-delivery-node';
import type { DeploymentObject } from '../services/overview/deploymentTypes';
import { resourceKey, type ArgoCdWorldInstance } from './argocdFixtures';
import { yamlFixture } from './fixtures';

/**
 * The recorded guestbook-ui Deployment (fixtures/kubernetes, argo-cd's
 * health test data) once its rollout has completed: every replica updated
 * and available, Progressing NewReplicaSetAvailable. `image` replaces the
 * recorded one.
 */
export function completedDeployment(
  namespace: string,
  name: string,
  image?: string,
): DeploymentObject {
  const d: DeploymentObject = yamlFixture(
    'kubernetes/deployment-progressing.yaml',
  );
  d.metadata = { ...d.metadata, name, namespace };
  const container = d.spec!.template!.spec!.containers![0];
  if (image) container.image = image;
  d.status = {
    ...d.status,
    replicas: 1,
    updatedReplicas: 1,
    readyReplicas: 1,
    availableReplicas: 1,
    unavailableReplicas: undefined,
    conditions: d.status!.conditions!.map(c =>
      c.type === 'Progressing'
        ? {
            ...c,
            reason: 'NewReplicaSetAvailable',
            message: `ReplicaSet "${name}-75dd4d49d5" has successfully progressed.`,
          }
        : c,
    ),
  };
  return d;
}

/** The tree Argo CD reports for a Deployment: it, its ReplicaSet and Pod. */
export function mockDeploymentTree(
  deployment: DeploymentObject,
  others: ArgoCdApplicationTree['nodes'] = [],
): ArgoCdApplicationTree {
  const { name = '', namespace = '' } = deployment.metadata ?? {};
  const rs = `${name}-75dd4d49d5`;
  const revision =
    deployment.metadata?.annotations?.['deployment.kubernetes.io/revision'];
  const images = (deployment.spec?.template?.spec?.containers ?? []).map(
    c => c.image ?? '',
  );
  const parent = (kind: string, n: string) => [
    { group: 'apps', kind, namespace, name: n },
  ];
  return {
    nodes: [
      ...(others ?? []),
      {
        group: 'apps',
        version: 'v1',
        kind: 'Deployment',
        namespace,
        name,
        health: { status: 'Healthy' },
      },
      {
        group: 'apps',
        version: 'v1',
        kind: 'ReplicaSet',
        namespace,
        name: rs,
        parentRefs: parent('Deployment', name),
        info: [{ name: 'Revision', value: `Rev:${revision}` }],
        health: { status: 'Healthy' },
      },
      {
        version: 'v1',
        kind: 'Pod',
        namespace,
        name: `${rs}-x7k2p`,
        parentRefs: parent('ReplicaSet', rs),
        images,
        health: { status: 'Healthy' },
      },
    ],
    orphanedNodes: [],
  };
}

/**
 * As Argo CD does, an Application that lists a Deployment among its
 * resources has it live and in its tree: every such Application of the
 * world without a tree gets the completed guestbook-ui Deployment (with the
 * Application's image) as a live object and a tree of it.
 */
export function serveListedDeployments(
  world: Record<string, ArgoCdWorldInstance>,
) {
  for (const instance of Object.values(world)) {
    for (const app of instance.applications) {
      const name = app.metadata.name;
      if (instance.trees?.[name]) continue;
      const listed = app.status?.resources ?? [];
      const deployments = listed.filter(
        r => r.kind === 'Deployment' && r.group === 'apps',
      );
      if (deployments.length === 0) continue;
      const image = app.status?.summary?.images?.[0];
      const others = listed
        .filter(r => !deployments.includes(r))
        .map(r => ({
          group: r.group,
          version: r.version,
          kind: r.kind,
          namespace: r.namespace,
          name: r.name,
        }));
      for (const r of deployments) {
        const live = completedDeployment(
          r.namespace ?? '',
          r.name ?? '',
          image,
        );
        instance.resources = {
          ...instance.resources,
          [resourceKey(name, 'Deployment', r.namespace ?? '', r.name ?? '')]:
            live,
        };
        instance.trees = {
          ...instance.trees,
          [name]: mockDeploymentTree(live, others),
        };
      }
    }
  }
}
