import type {
  ApplicationBinding,
  ApplicationView,
  DeliveryLink,
  HealthStatus,
  HistoryEntry,
  RevisionMetadata,
  SyncStatus,
} from '@gitops-delivery/backstage-plugin-delivery-common';
import type {
  ArgoCdApplication,
  ArgoCdApplicationSource,
  ArgoCdRevisionHistory,
} from '@gitops-delivery/backstage-plugin-delivery-node';
import {
  isAutoSync,
  operationViewOf,
} from '../../applicationActions/operationView';

/** A revision whose metadata the view wants. @public */
export interface RevisionMetadataRequest {
  /** History ids the revision belongs to; -1 is the current sync revision. */
  historyIds: number[];
  revision: string;
  sourceIndex?: number;
  versionId?: number;
}

const SYNC: ReadonlyArray<SyncStatus> = ['Synced', 'OutOfSync', 'Unknown'];
const HEALTH: ReadonlyArray<HealthStatus> = [
  'Healthy',
  'Progressing',
  'Degraded',
  'Suspended',
  'Missing',
  'Unknown',
];

// Git commit SHAs only: branch names move and Helm/OCI versions have no
// git metadata, so neither is worth a call or a long cache entry.
const COMMIT_SHA = /^[0-9a-f]{7,64}$/;

/** True when the source is a Helm chart from a Helm or OCI repository. */
function isChartOrOci(source: ArgoCdApplicationSource | undefined): boolean {
  if (!source) return true;
  return Boolean(source.chart) || /^oci:\/\//.test(source.repoURL ?? '');
}

/** The kind of source the application deploys from. */
export function sourceTypeOf(
  app: ArgoCdApplication,
): ApplicationView['sourceType'] {
  const sources = app.spec?.sources;
  if (sources && sources.length > 0) {
    return sources.length > 1 ? 'multi-source' : sourceTypeOfSource(sources[0]);
  }
  return sourceTypeOfSource(app.spec?.source);
}

function sourceTypeOfSource(
  source: ArgoCdApplicationSource | undefined,
): ApplicationView['sourceType'] {
  if (!source?.repoURL) return 'unknown';
  if (/^oci:\/\//.test(source.repoURL)) return 'oci';
  if (source.chart) return 'helm';
  return 'git';
}

/** Sources of the app as deployed by one history entry (or the spec). */
function sourcesOf(
  app: ArgoCdApplication,
  entry?: ArgoCdRevisionHistory,
): ArgoCdApplicationSource[] {
  if (entry?.sources?.length) return entry.sources;
  if (entry?.source) return [entry.source];
  if (app.spec?.sources?.length) return app.spec.sources;
  return app.spec?.source ? [app.spec.source] : [];
}

/** The git revision (and source) worth asking metadata for, if any. */
function gitRevisionOf(
  app: ArgoCdApplication,
  entry: { revision?: string; revisions?: string[] },
  history?: ArgoCdRevisionHistory,
): { revision: string; sourceIndex?: number } | undefined {
  const sources = sourcesOf(app, history);
  if (entry.revisions && entry.revisions.length > 0) {
    for (let i = 0; i < entry.revisions.length; i++) {
      const revision = entry.revisions[i];
      if (!isChartOrOci(sources[i]) && COMMIT_SHA.test(revision ?? '')) {
        return { revision, sourceIndex: i };
      }
    }
    return undefined;
  }
  if (
    entry.revision &&
    !isChartOrOci(sources[0]) &&
    COMMIT_SHA.test(entry.revision)
  ) {
    return { revision: entry.revision };
  }
  return undefined;
}

/** History newest first (Argo CD stores it oldest first). */
export function historyNewestFirst(
  app: ArgoCdApplication,
): ArgoCdRevisionHistory[] {
  return [...(app.status?.history ?? [])].reverse();
}

/**
 * The metadata calls the view makes: the current sync revision and the
 * newest `count` history entries, git revisions only, with sourceIndex and
 * versionId for multi-source applications.
 */
export function revisionMetadataRequests(
  app: ArgoCdApplication,
  count: number,
): RevisionMetadataRequest[] {
  const requests: RevisionMetadataRequest[] = [];
  const multi = (app.spec?.sources?.length ?? 0) > 0;
  const add = (
    historyId: number,
    git: { revision: string; sourceIndex?: number },
    versionId?: number,
  ) => {
    const sourceIndex = multi ? git.sourceIndex ?? 0 : undefined;
    // One call per revision and source: the sync revision is usually the
    // newest history entry's.
    const same = requests.find(
      r => r.revision === git.revision && r.sourceIndex === sourceIndex,
    );
    if (same) {
      same.historyIds.push(historyId);
      return;
    }
    requests.push({
      historyIds: [historyId],
      revision: git.revision,
      ...(multi ? { sourceIndex, versionId } : {}),
    });
  };
  for (const entry of historyNewestFirst(app).slice(0, count)) {
    const id = Number(entry.id);
    if (!Number.isInteger(id)) continue;
    const git = gitRevisionOf(app, entry, entry);
    if (git) add(id, git, id);
  }
  const sync = app.status?.sync;
  if (sync) {
    const git = gitRevisionOf(app, sync);
    if (git) add(-1, git);
  }
  return requests;
}

function enumOr<T extends string>(
  value: string | undefined,
  allowed: ReadonlyArray<T>,
  fallback: T,
): T {
  return allowed.includes(value as T) ? (value as T) : fallback;
}

/** Input of toApplicationView. @public */
export interface ApplicationViewInput {
  instance: string;
  app: ArgoCdApplication;
  /** Metadata by history id (-1 = sync revision); absent where not fetched. */
  metadata: ReadonlyMap<number, RevisionMetadata>;
  links: DeliveryLink[];
  /** Whether actions may reach it for the entity (see bindingOf). */
  binding: ApplicationBinding;
}

/** Builds the view of one Argo CD Application. */
export function toApplicationView(
  input: ApplicationViewInput,
): ApplicationView {
  const { app } = input;
  const status = app.status ?? {};
  const op = status.operationState;
  const sources = sourcesOf(app);
  const history: HistoryEntry[] = historyNewestFirst(app).map(entry => {
    const id = Number(entry.id);
    return {
      id,
      revision: entry.revision,
      revisions: entry.revisions,
      deployedAt: entry.deployedAt,
      deployStartedAt: entry.deployStartedAt,
      initiatedBy: entry.initiatedBy?.automated
        ? 'automated'
        : entry.initiatedBy?.username,
      metadata: input.metadata.get(id),
    };
  });
  const lastSyncedAt =
    op?.phase === 'Succeeded' ? op.finishedAt : history[0]?.deployedAt;
  return {
    instance: input.instance,
    name: app.metadata.name,
    appNamespace: app.metadata.namespace,
    project: app.spec?.project ?? 'default',
    destination: { ...app.spec?.destination },
    sourceType: sourceTypeOf(app),
    repoURL: sources[0]?.repoURL,
    sync: {
      status: enumOr(status.sync?.status, SYNC, 'Unknown'),
      revision: status.sync?.revision,
      revisions: status.sync?.revisions,
    },
    health: {
      status: enumOr(status.health?.status, HEALTH, 'Unknown'),
      message: status.health?.message,
    },
    operation: operationViewOf(app),
    autoSync: isAutoSync(app),
    resources: (status.resources ?? []).flatMap(r =>
      r.kind && r.name
        ? [
            {
              group: r.group,
              kind: r.kind,
              namespace: r.namespace,
              name: r.name,
              status: r.status,
            },
          ]
        : [],
    ),
    lastSyncedAt,
    reconciledAt: status.reconciledAt,
    images: status.summary?.images ?? [],
    history,
    links: input.links,
    binding: input.binding,
  };
}
