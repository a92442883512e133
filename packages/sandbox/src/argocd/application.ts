import { wireTime } from '../clock';
import { commitSha } from '../ids';
import type { AppState, WorldState } from '../world/state';
import { appResources, type LiveResource } from './resources';

/** The health order Argo CD uses to pick an application's worst health. */
const HEALTH_ORDER = [
  'Healthy',
  'Suspended',
  'Progressing',
  'Missing',
  'Degraded',
  'Unknown',
];

/** Git revision of a service version (the monorepo commit CI built). */
export function revisionOf(app: AppState, version: string): string {
  return commitSha(app.service.name, version);
}

/** Revision of the values repository of a multi-source app. */
export function valuesRevisionOf(version: string): string {
  return commitSha('platform-values', version);
}

function sources(app: AppState) {
  const main = {
    repoURL: `https://github.com/${app.service.repository}.git`,
    path: `deploy/${app.env}`,
    targetRevision: 'main',
  };
  if (!app.service.multiSource) return { source: main };
  return {
    sources: [
      { ...main, helm: { valueFiles: [`$values/search/${app.env}.yaml`] } },
      {
        repoURL: 'https://github.com/acme/platform-values.git',
        targetRevision: 'main',
        ref: 'values',
      },
    ],
  };
}

/** Whether a managed resource differs from Git. */
export function isModified(app: AppState, r: LiveResource): boolean {
  if (!r.managed || !['Rollout', 'Deployment'].includes(r.kind)) return false;
  return !!app.behaviour.drift || app.liveVersion !== app.targetVersion;
}

/** The application's sync status. */
export function syncStatus(
  app: AppState,
  resources: LiveResource[],
): 'Synced' | 'OutOfSync' {
  return resources.some(r => isModified(app, r)) ? 'OutOfSync' : 'Synced';
}

/** The application's health: the worst health of its managed resources. */
export function appHealth(resources: LiveResource[]): {
  status: string;
  message?: string;
} {
  let worst = { status: 'Healthy' } as { status: string; message?: string };
  for (const r of resources) {
    if (!r.managed || !r.health) continue;
    if (
      HEALTH_ORDER.indexOf(r.health.status) > HEALTH_ORDER.indexOf(worst.status)
    )
      worst = r.health;
  }
  return { status: worst.status };
}

/** Whether a resource is one the operation syncs (all, unless it names some). */
function inOperation(op: AppState['operation'], r: LiveResource): boolean {
  if (!op?.resources) return true;
  return op.resources.some(
    x =>
      (x.group ?? '') === r.group &&
      x.kind === r.kind &&
      x.name === r.name &&
      (!x.namespace || x.namespace === r.namespace),
  );
}

function initiator(app: AppState) {
  if (app.operation) return { username: app.operation.username };
  return app.autoSync ? { automated: true } : { username: 'release-bot' };
}

/** Builds the Argo CD Application object (swagger v1alpha1Application). */
export function applicationJson(
  world: WorldState,
  app: AppState,
): Record<string, unknown> {
  const t = (ms: number) => wireTime(world.clock, ms);
  const resources = appResources(world, app);
  const src = sources(app);
  const destination = { server: app.destServer, namespace: app.destNamespace };
  const multi = !!app.service.multiSource;
  const revisionFields = (version: string) =>
    multi
      ? { revisions: [revisionOf(app, version), valuesRevisionOf(version)] }
      : { revision: revisionOf(app, version) };
  const sync = syncStatus(app, resources);
  const last = app.history[app.history.length - 1];
  const op = app.operation;
  const opVersion = op?.version ?? last.version;
  const operationState = {
    operation: {
      sync: {
        ...revisionFields(opVersion),
        syncStrategy: { hook: {} },
        ...(op?.prune ? { prune: true } : {}),
        ...(op?.dryRun ? { dryRun: true } : {}),
        ...(op?.resources ? { resources: op.resources } : {}),
      },
      initiatedBy: initiator(app),
      retry: {},
    },
    phase: op?.phase ?? 'Succeeded',
    message: op?.message ?? 'successfully synced (all tasks run)',
    startedAt: t(op?.startedAt ?? last.deployStartedAt),
    ...(op?.phase === 'Running'
      ? {}
      : { finishedAt: t(op?.finishedAt ?? last.deployedAt) }),
    ...(op?.phase === 'Running'
      ? {}
      : {
          syncResult: {
            ...revisionFields(opVersion),
            ...(multi ? { sources: src.sources } : { source: src.source }),
            resources: resources
              .filter(r => r.managed && inOperation(op, r))
              .map(r => ({
                group: r.group,
                version: r.version,
                kind: r.kind,
                namespace: r.namespace,
                name: r.name,
                status: 'Synced',
                message: `${r.kind.toLowerCase()}${
                  r.group ? `.${r.group}` : ''
                }/${r.name} ${op ? 'configured' : 'unchanged'}`,
                hookPhase: 'Running',
                syncPhase: 'Sync',
              })),
          },
        }),
  };
  const images = [...new Set(resources.flatMap(r => r.images ?? []))].sort();
  return {
    metadata: {
      name: app.name,
      namespace: app.namespace,
      uid: app.uid,
      resourceVersion: String(
        Math.floor(world.clock.now() / 1000) % 100_000_000,
      ),
      generation: app.history.length + 10,
      creationTimestamp: t(app.createdAt),
      labels: app.labels,
      annotations: {
        'notifications.argoproj.io/subscribe.on-sync-failed.slack':
          'storefront-deploys',
        // names the demo's catalog entity back, so the Delivery plugin's
        // actions may reach this Application (delivery.actions.requireBinding)
        'delivery.backstage.io/entity-ref': `component:default/${app.service.name}`,
      },
    },
    spec: {
      ...src,
      destination,
      project: app.project,
      syncPolicy: {
        ...(app.autoSync ? { automated: { prune: true, selfHeal: true } } : {}),
        syncOptions: ['CreateNamespace=true'],
      },
    },
    ...(op?.phase === 'Running' ? { operation: operationState.operation } : {}),
    status: {
      resources: resources
        .filter(r => r.managed)
        .map(r => ({
          ...(r.group ? { group: r.group } : {}),
          version: r.version,
          kind: r.kind,
          namespace: r.namespace,
          name: r.name,
          status: isModified(app, r) ? 'OutOfSync' : 'Synced',
          // as Argo CD lists it (swagger v1alpha1ResourceStatus.health)
          ...(r.health ? { health: r.health } : {}),
        })),
      sync: {
        status: sync,
        comparedTo: { ...src, destination },
        ...revisionFields(app.targetVersion),
      },
      health: {
        ...appHealth(resources),
        lastTransitionTime: t(app.rollout?.updatedAt ?? last.deployedAt),
      },
      history: app.history.map(h => ({
        id: h.id,
        ...revisionFields(h.version),
        deployStartedAt: t(h.deployStartedAt),
        deployedAt: t(h.deployedAt),
        ...(multi ? { sources: src.sources } : { source: src.source }),
        initiatedBy: h.initiatedBy,
      })),
      reconciledAt: t(
        Math.max(app.refreshedAt ?? 0, world.clock.now() - 30_000),
      ),
      operationState,
      sourceType: multi ? 'Helm' : 'Kustomize',
      ...(multi ? { sourceTypes: ['Helm', 'Directory'] } : {}),
      summary: {
        images,
        externalURLs:
          app.rollout?.strategy === 'canary'
            ? [`https://${app.service.name}.shop.example/`]
            : [],
      },
      resourceHealthSource: 'appTree',
      controllerNamespace: 'argocd',
    },
  };
}
