/*
 * The subset of the Argo CD API objects the Delivery plugins read (swagger
 * `v1alpha1Application`, `v1alpha1ApplicationTree`, ...). Every field is
 * optional because Argo CD omits empty fields and older servers lack newer
 * ones; the model code treats missing data as unknown, never as an error.
 */

/** swagger `v1alpha1ApplicationSource`. @public */
export interface ArgoCdApplicationSource {
  repoURL?: string;
  path?: string;
  targetRevision?: string;
  /** Set for Helm repository sources; the revision is then a chart version. */
  chart?: string;
  ref?: string;
  name?: string;
}

/** swagger `v1alpha1RevisionHistory`. @public */
export interface ArgoCdRevisionHistory {
  id?: number | string;
  revision?: string;
  revisions?: string[];
  deployedAt?: string;
  deployStartedAt?: string;
  source?: ArgoCdApplicationSource;
  sources?: ArgoCdApplicationSource[];
  initiatedBy?: { username?: string; automated?: boolean };
}

/** swagger `v1alpha1Application` (fields read by the backend). @public */
export interface ArgoCdApplication {
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
  spec?: {
    project?: string;
    source?: ArgoCdApplicationSource;
    sources?: ArgoCdApplicationSource[];
    destination?: { server?: string; name?: string; namespace?: string };
    /** `automated` set: Argo CD syncs by itself (and refuses a rollback). */
    syncPolicy?: {
      automated?: { prune?: boolean; selfHeal?: boolean; enabled?: boolean };
    };
  };
  status?: {
    sync?: {
      status?: string;
      revision?: string;
      revisions?: string[];
    };
    health?: { status?: string; message?: string };
    operationState?: {
      phase?: string;
      message?: string;
      startedAt?: string;
      finishedAt?: string;
      operation?: {
        initiatedBy?: { username?: string; automated?: boolean };
        sync?: { revision?: string; revisions?: string[] };
      };
      syncResult?: {
        revision?: string;
        revisions?: string[];
        resources?: Array<{
          group?: string;
          namespace?: string;
          kind?: string;
          name?: string;
          status?: string;
          message?: string;
          hookType?: string;
          hookPhase?: string;
          syncPhase?: string;
        }>;
      };
    };
    summary?: { images?: string[]; externalURLs?: string[] };
    /** The managed (top-level) resources, e.g. the Rollout, not its ReplicaSets. */
    resources?: Array<{
      group?: string;
      version?: string;
      kind?: string;
      namespace?: string;
      name?: string;
      status?: string;
    }>;
    history?: ArgoCdRevisionHistory[];
    reconciledAt?: string;
    sourceType?: string;
    sourceTypes?: string[];
  };
}

/** swagger `v1alpha1ApplicationList`; `items` is null when empty. @public */
export interface ArgoCdApplicationList {
  items?: ArgoCdApplication[] | null;
}

/** A reference to one Kubernetes resource of an application. @public */
export interface ArgoCdResourceRef {
  group: string;
  version: string;
  kind: string;
  namespace: string;
  name: string;
}

/** swagger `v1alpha1ResourceNode` with the inlined ResourceRef fields. @public */
export interface ArgoCdResourceNode {
  group?: string;
  version?: string;
  kind?: string;
  namespace?: string;
  name?: string;
  uid?: string;
  parentRefs?: Array<{
    group?: string;
    kind?: string;
    namespace?: string;
    name?: string;
    uid?: string;
  }>;
  info?: Array<{ name?: string; value?: string }>;
  health?: { status?: string; message?: string };
  images?: string[];
  createdAt?: string;
}

/** swagger `v1alpha1ApplicationTree`. @public */
export interface ArgoCdApplicationTree {
  nodes?: ArgoCdResourceNode[] | null;
  orphanedNodes?: ArgoCdResourceNode[] | null;
}

/** swagger `applicationResourceActionsListResponse` item. @public */
export interface ArgoCdResourceAction {
  name: string;
  disabled?: boolean;
  displayName?: string;
}

/** swagger `repositoryRevisionMetadata` (git only). @public */
export interface ArgoCdRevisionMetadata {
  author?: string;
  date?: string;
  message?: string;
  tags?: string[];
}

/**
 * swagger `v1alpha1ResourceDiff`: one resource Argo CD manages, with its
 * states as JSON strings (absent when the resource is missing on that side).
 * @public
 */
export interface ArgoCdManagedResource {
  group: string;
  kind: string;
  namespace: string;
  name: string;
  hook: boolean;
  /** Whether Argo CD finds live and target different. */
  modified: boolean;
  targetState?: string;
  liveState?: string;
  /** The live state after Argo CD's normalisations (ignoreDifferences, defaults). */
  normalizedLiveState?: string;
  /** What Argo CD predicts the live state becomes after a sync. */
  predictedLiveState?: string;
}

/** swagger `repositoryManifestResponse`: the manifests an app renders. @public */
export interface ArgoCdManifests {
  /** One JSON object per resource. */
  manifests: string[];
  /** The resolved revision. */
  revision?: string;
}

/** Identifies one Application on one instance. @public */
export interface ArgoCdAppRef {
  /** Application name. */
  name: string;
  /** Namespace of the Application object; always sent when known. */
  appNamespace?: string;
  /** Argo CD project; sent so that a missing app is a 404, not a 403. */
  project?: string;
}

/*
 * The parts of Argo CD's v1alpha1 Application and AppProject that a write
 * sends (swagger `v1alpha1Application`, `v1alpha1AppProject`).
 */

/** Object metadata of an Argo CD resource that a write sends. @public */
export interface ArgoCdObjectMetadata {
  name: string;
  namespace?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  resourceVersion?: string;
  [key: string]: unknown;
}

/** Where an Application deploys to. @public */
export interface ArgoCdDestination {
  server?: string;
  name?: string;
  namespace?: string;
}

/**
 * An Application (`argoproj.io/v1alpha1`) as a create or an update sends
 * it: the desired state, with the spec a write needs.
 *
 * @public
 */
export interface ArgoCdDesiredApplication {
  apiVersion?: string;
  kind?: string;
  metadata: ArgoCdObjectMetadata;
  spec: {
    project: string;
    source?: { repoURL: string; path?: string; targetRevision?: string };
    destination: ArgoCdDestination;
    syncPolicy?: {
      automated?: { prune?: boolean; selfHeal?: boolean };
      syncOptions?: string[];
    };
    [key: string]: unknown;
  };
  status?: unknown;
  operation?: unknown;
}

/** An AppProject (`argoproj.io/v1alpha1`). @public */
export interface ArgoCdProject {
  metadata: ArgoCdObjectMetadata;
  spec: {
    description?: string;
    sourceRepos?: string[];
    destinations?: ArgoCdDestination[];
    [key: string]: unknown;
  };
}
