import {
  fakeArgoCdResourceKey,
  type FakeArgoCdOptions,
} from '@gitops-delivery/backstage-plugin-delivery-node/testUtils';
import type {
  ArgoCdApplication,
  ArgoCdApplicationTree,
  ArgoCdResourceNode,
} from '@gitops-delivery/backstage-plugin-delivery-node';
import type { RolloutObject } from '../services/overview/rolloutTypes';
import { jsonFixture } from './fixtures';

/**
 * The state of one instance of the test world: delivery-node's
 * contract-checked fake Argo CD (`fakeArgoCdHandlers`), with the backend's
 * Argo CD types for its applications and trees.
 */
export type ArgoCdWorldInstance = Omit<
  FakeArgoCdOptions,
  'applications' | 'trees' | 'sessionToken'
> & {
  applications: ArgoCdApplication[];
  trees?: Record<string, ArgoCdApplicationTree>;
  /** The token a login returns. */
  sessionToken?: string;
};

/**
 * An Argo CD application built from the recorded guestbook application
 * (fixtures/argocd/application-guestbook-synced.json) with the given changes.
 */
export function mockApplication(options: {
  name: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  namespace?: string;
  project?: string;
  images?: string[];
  revision?: string;
  source?: ArgoCdApplication['spec'] extends infer S
    ? S extends { source?: infer X }
      ? X
      : never
    : never;
  sources?: Array<{
    repoURL: string;
    chart?: string;
    path?: string;
    targetRevision?: string;
  }>;
  sync?: string;
  health?: string;
  history?: any[];
  revisions?: string[];
}): ArgoCdApplication {
  const app = jsonFixture('argocd/application-guestbook-synced.json');
  app.metadata.name = options.name;
  app.metadata.namespace = options.namespace ?? 'argocd';
  app.metadata.labels = options.labels ?? {};
  if (options.annotations) app.metadata.annotations = options.annotations;
  app.spec.project = options.project ?? 'default';
  if (options.source) app.spec.source = options.source;
  if (options.sources) {
    delete app.spec.source;
    app.spec.sources = options.sources;
  }
  const revision = options.revision ?? app.status.sync.revision;
  app.status.sync.revision = options.revisions ? undefined : revision;
  if (options.revisions) app.status.sync.revisions = options.revisions;
  app.status.sync.status = options.sync ?? 'Synced';
  app.status.health = { status: options.health ?? 'Healthy' };
  app.status.summary = { images: options.images ?? [] };
  app.status.history = options.history ?? [
    { ...app.status.history[0], revision, id: 0 },
  ];
  return app;
}

/**
 * A resource tree (swagger `v1alpha1ApplicationTree`) for an application
 * that owns a Rollout: the Rollout, its ReplicaSets (with images) and its
 * AnalysisRuns, each with parentRefs as Argo CD reports them.
 */
export function mockRolloutTree(
  rollout: RolloutObject,
  options: {
    replicaSets?: Record<string, string[]>;
    analysisRuns?: string[];
    health?: { status: string; message?: string };
  } = {},
): ArgoCdApplicationTree {
  const name = rollout.metadata!.name!;
  const namespace = rollout.metadata!.namespace!;
  const uid = rollout.metadata?.uid ?? `${name}-uid`;
  const parent = {
    group: 'argoproj.io',
    kind: 'Rollout',
    namespace,
    name,
    uid,
  };
  const nodes: ArgoCdResourceNode[] = [
    {
      group: 'argoproj.io',
      version: 'v1alpha1',
      kind: 'Rollout',
      namespace,
      name,
      uid,
      info: [{ name: 'Revision', value: 'Rev:2' }],
      health: options.health,
      createdAt: '2026-11-27T10:00:00Z',
    },
    {
      version: 'v1',
      kind: 'Service',
      namespace,
      name,
      uid: `${name}-svc`,
      health: { status: 'Healthy' },
    },
    // As Argo CD does, images are reported on the Pods, not the ReplicaSets.
    ...Object.entries(options.replicaSets ?? {}).flatMap(([hash, images]) => [
      {
        group: 'apps',
        version: 'v1',
        kind: 'ReplicaSet',
        namespace,
        name: `${name}-${hash}`,
        uid: `${name}-${hash}-uid`,
        parentRefs: [parent],
        info: [{ name: 'Revision', value: 'Rev:1' }],
        health: { status: 'Healthy' },
      },
      {
        version: 'v1',
        kind: 'Pod',
        namespace,
        name: `${name}-${hash}-abcde`,
        uid: `${name}-${hash}-pod-uid`,
        parentRefs: [
          {
            group: 'apps',
            kind: 'ReplicaSet',
            namespace,
            name: `${name}-${hash}`,
            uid: `${name}-${hash}-uid`,
          },
        ],
        images,
        info: [{ name: 'Status Reason', value: 'Running' }],
        health: { status: 'Healthy' },
      },
    ]),
    ...(options.analysisRuns ?? []).map(run => ({
      group: 'argoproj.io',
      version: 'v1alpha1',
      kind: 'AnalysisRun',
      namespace,
      name: run,
      uid: `${run}-uid`,
      parentRefs: [parent],
    })),
  ];
  return { nodes, orphanedNodes: [] };
}

/** Key of a live object in the fake's resources and actions. */
export const resourceKey = fakeArgoCdResourceKey;

/**
 * As Argo CD does, an Application with a resource tree lists the tree's
 * top-level objects (the Rollout, the Service, ...) in `status.resources`.
 */
export function listManagedResources(
  world: Record<string, ArgoCdWorldInstance>,
) {
  for (const instance of Object.values(world)) {
    for (const app of instance.applications) {
      const tree = instance.trees?.[app.metadata.name];
      if (!tree) continue;
      app.status = {
        ...app.status,
        resources: (tree.nodes ?? [])
          .filter(n => !n.parentRefs?.length)
          .map(n => ({
            ...(n.group ? { group: n.group } : {}),
            version: n.version,
            kind: n.kind,
            namespace: n.namespace,
            name: n.name,
            status: 'Synced',
          })),
      };
    }
  }
}
