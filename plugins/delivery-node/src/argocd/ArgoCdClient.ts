import type { LoggerService } from '@backstage/backend-plugin-api';
import type { MetricsService } from '@backstage/backend-plugin-api/alpha';
import type { JsonObject } from '@backstage/types';
import type { CoalescingCache } from '../cache/createCoalescingCache';
import type { ArgoCdInstanceConfig } from '../config/readArgoCdConfig';
import type { SecretRedactor } from '../redaction/secretRedactor';
import type {
  ArgoCdAppRef,
  ArgoCdApplication,
  ArgoCdApplicationTree,
  ArgoCdDesiredApplication,
  ArgoCdManagedResource,
  ArgoCdManifests,
  ArgoCdProject,
  ArgoCdResourceAction,
  ArgoCdResourceRef,
  ArgoCdRevisionMetadata,
} from './types';
import type { ArgoCdSyncRequest } from './writes';
import type {
  ArgoCdWatchOptions,
  ArgoCdWatchStatus,
} from './watch/withArgoCdWatch';

/** Which applications to list. @public */
export interface ListApplicationsQuery {
  selector?: string;
  name?: string;
  projects?: string[];
  appNamespace?: string;
}

/** Options of a read. @public */
export interface ArgoCdReadOptions {
  /** Bypass the cache (still coalesced), e.g. right before an action. */
  fresh?: boolean;
}

/** Selects the source of a multi-source application. @public */
export interface RevisionSourceSelector {
  sourceIndex?: number;
  /** The history id the revision was deployed with (multi-source apps). */
  versionId?: number;
}

/**
 * Calls the configured Argo CD instances with server-side credentials.
 * Reads are cached and coalesced; every failure is an ArgoCdError that names
 * the instance. Nothing from a caller becomes a host: instance names are
 * looked up in the configuration and names become encoded path segments.
 *
 * @public
 */
export interface ArgoCdClient {
  /** Names of the configured instances, in configuration order. */
  readonly instanceNames: string[];
  listApplications(
    instance: string,
    query: ListApplicationsQuery,
    options?: ArgoCdReadOptions,
  ): Promise<ArgoCdApplication[]>;
  getApplication(
    instance: string,
    app: ArgoCdAppRef,
    options?: ArgoCdReadOptions,
  ): Promise<ArgoCdApplication>;
  getResourceTree(
    instance: string,
    app: ArgoCdAppRef,
    options?: ArgoCdReadOptions,
  ): Promise<ArgoCdApplicationTree>;
  /** The live manifest of one resource of the application, parsed. */
  getResource(
    instance: string,
    app: ArgoCdAppRef,
    resource: ArgoCdResourceRef,
    options?: ArgoCdReadOptions,
  ): Promise<JsonObject>;
  getResourceActions(
    instance: string,
    app: ArgoCdAppRef,
    resource: ArgoCdResourceRef,
    options?: ArgoCdReadOptions,
  ): Promise<ArgoCdResourceAction[]>;
  /**
   * Runs a resource action (e.g. `resume`, `promote-full`, `abort`) through
   * the v2 endpoint, falling back to the deprecated v1 form on servers older
   * than 3.1. Never cached; drops the cached state of the resource.
   */
  runResourceAction(
    instance: string,
    app: ArgoCdAppRef,
    resource: ArgoCdResourceRef,
    action: string,
  ): Promise<void>;
  /**
   * The resources the application manages with their live, normalized,
   * predicted and target states (drift). Cached like live state.
   */
  getManagedResources(
    instance: string,
    app: ArgoCdAppRef,
    options?: ArgoCdReadOptions,
  ): Promise<ArgoCdManagedResource[]>;
  /** The manifests the application renders at a revision (a SHA: cached long). */
  getManifests(
    instance: string,
    app: ArgoCdAppRef,
    revision: string,
  ): Promise<ArgoCdManifests>;
  /**
   * Asks Argo CD to reconcile the application now (`GET` with
   * `?refresh=normal`, or `hard` to drop its manifest cache too); answers
   * the application as it is then. Never cached; drops its cached state.
   */
  refreshApplication(
    instance: string,
    app: ArgoCdAppRef,
    hard: boolean,
    options?: ArgoCdWriteOptions,
  ): Promise<ArgoCdApplication>;
  /**
   * Starts a sync (`POST .../sync`), optionally with prune or limited to
   * some resources; answers the application with the operation it started.
   */
  syncApplication(
    instance: string,
    app: ArgoCdAppRef,
    request: ArgoCdSyncRequest,
    options?: ArgoCdWriteOptions,
  ): Promise<ArgoCdApplication>;
  /**
   * Rolls the application back to a history entry (`POST .../rollback`);
   * Argo CD refuses it while auto-sync is on (an ArgoCdError).
   */
  rollbackApplication(
    instance: string,
    app: ArgoCdAppRef,
    historyId: number,
    request?: { prune?: boolean },
    options?: ArgoCdWriteOptions,
  ): Promise<ArgoCdApplication>;
  /** Git revision metadata; immutable per SHA, so cached long. */
  getRevisionMetadata(
    instance: string,
    app: ArgoCdAppRef,
    revision: string,
    source?: RevisionSourceSelector,
  ): Promise<ArgoCdRevisionMetadata>;
  /** Link to the application in the instance's UI. */
  applicationUrl(instance: string, app: ArgoCdAppRef): string;
  /**
   * How each instance's state is kept current (stream, polling, or not
   * watched); only clients created with `watch` have it.
   */
  watchStatus?(): ArgoCdWatchStatus[];
  /** Closes the watch streams (plugin shutdown, tests). */
  stopWatching?(): Promise<void>;
  /** An AppProject, or an ArgoCdError of kind `not-found`. Never cached. */
  getProject(
    instance: string,
    name: string,
    options?: ArgoCdWriteOptions,
  ): Promise<ArgoCdProject>;
  /** Creates an AppProject (`upsert: false`: an existing one is an error). */
  createProject(
    instance: string,
    project: ArgoCdProject,
    options?: ArgoCdWriteOptions,
  ): Promise<ArgoCdProject>;
  updateProject(
    instance: string,
    project: ArgoCdProject,
    options?: ArgoCdWriteOptions,
  ): Promise<ArgoCdProject>;
  /** Creates an Application, validated by Argo CD (`upsert: false`). */
  createApplication(
    instance: string,
    app: ArgoCdDesiredApplication,
    options?: ArgoCdWriteOptions,
  ): Promise<ArgoCdDesiredApplication>;
  /** Replaces an Application's spec, validated; drops its cached state. */
  updateApplication(
    instance: string,
    app: ArgoCdDesiredApplication,
    options?: ArgoCdWriteOptions,
  ): Promise<ArgoCdDesiredApplication>;
}

/** Options of a write (and of the reads that go with it). @public */
export interface ArgoCdWriteOptions {
  /** Aborts the call with the caller, e.g. a cancelled scaffolder task. */
  signal?: AbortSignal;
}

/** Options of createArgoCdClient. @public */
export interface ArgoCdClientOptions {
  instances: ArgoCdInstanceConfig[];
  timeoutMs: number;
  /** Where reads are cached and coalesced; default: coalesced only. */
  cache?: CoalescingCache;
  /** TTL of live state (applications, trees, manifests, actions); default 0. */
  liveTtlMs?: number;
  /** TTL of revision metadata (immutable per SHA); default 0. */
  revisionMetadataTtlMs?: number;
  /**
   * Watch the instances (Argo CD's application and resource-tree streams)
   * instead of reading them per view; see `withArgoCdWatch`. Default off.
   */
  watch?: ArgoCdWatchOptions;
  logger?: LoggerService;
  /**
   * Counts and times every upstream call (`delivery.argocd.calls`,
   * `delivery.argocd.call.duration`) per instance, route and outcome.
   */
  metrics?: MetricsService;
  /**
   * The caller's redactor: the client registers the instances' tokens,
   * passwords and session tokens with it and redacts every error text.
   */
  redactor?: SecretRedactor;
}
