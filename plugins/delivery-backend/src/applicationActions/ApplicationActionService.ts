import type {
  AuditorService,
  BackstageCredentials,
  LoggerService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import type { MetricsService as BackstageMetricsService } from '@backstage/backend-plugin-api/alpha';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { InputError, NotAllowedError, NotFoundError } from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  deliveryApplicationRollbackPermission,
  deliveryApplicationSyncPermission,
  deliveryOverridePermission,
  type ApplicationActionRequest,
  type ApplicationActionResponse,
  type ApplicationView,
  type AuditRecord,
  type PolicyEvaluation,
  type RollbackPullRequest,
  type RolloutView,
} from '@gitops-delivery/backstage-plugin-delivery-common';
import {
  isArgoCdError,
  type ArgoCdApplication,
  type ArgoCdClient,
} from '@gitops-delivery/backstage-plugin-delivery-node';
import { githubRepository } from '../changes/githubCompare';
import { imagesOf, parseManifests } from '../changes/manifestChanges';
import type { Request } from 'express';
import type { AuditStore, NewAuditRecord } from '../audit/AuditStore';
import type { RolloutLock } from '../audit/RolloutLock';
import type { PolicyService, RolloutLocator } from '../policy/PolicyService';
import type { EntityRefParams } from '../services/EntityResolver/EntityResolver';
import type {
  DeliveryState,
  LiveApplication,
} from '../services/overview/overviewTypes';
import { answer, withDetails } from '../actions/actionAnswer';
import { createIdempotentRecorder } from '../actions/idempotentRecord';
import { runUnderLease } from '../actions/rolloutLease';
import { operationViewOf } from './operationView';
import { validateApplicationAction } from './validateApplicationAction';
import { actorOf } from '../actions/ActionService';
import {
  GithubWriteError,
  type GitopsRepository,
} from './gitops/githubRestore';
import {
  auditRecordUrl,
  entryRevision,
  pullRequestText,
  restoreSourceOf,
  type RestoreSource,
} from './gitops/rollbackPullRequest';

/** The Argo CD calls the Application actions make. @public */
export type ArgoApplicationWrites = Pick<
  ArgoCdClient,
  | 'refreshApplication'
  | 'syncApplication'
  | 'rollbackApplication'
  | 'getManifests'
>;

/** One Application action to execute. @public */
export interface ApplicationActionCommand {
  ref: EntityRefParams;
  credentials: BackstageCredentials;
  request: ApplicationActionRequest;
  correlationId?: string;
  /** The HTTP request, for the auditor. */
  httpRequest?: Request;
}

/** Refreshes, syncs and rolls back an entity's Applications, audited. @public */
export interface ApplicationActionService {
  execute(
    command: ApplicationActionCommand,
  ): Promise<ApplicationActionResponse>;
}

/** Options of createApplicationActionService. @public */
export interface ApplicationActionServiceOptions {
  permissions: PermissionsService;
  auditor: AuditorService;
  logger: LoggerService;
  locator: RolloutLocator;
  store: AuditStore;
  lock: RolloutLock;
  argocd: ArgoApplicationWrites;
  lockTtlMs: number;
  metrics?: BackstageMetricsService;
  /**
   * The promotion policy: a rollback is held to its change-window gates,
   * with break glass as for promotions. Without it rollbacks are not gated.
   */
  policy?: Pick<PolicyService, 'evaluate' | 'selectionFor'>;
  /**
   * Where an Application syncs automatically, a rollback opens a pull
   * request here that restores its path (the GitOps way). Without it,
   * such a rollback goes to Argo CD, which refuses it.
   */
  gitops?: {
    repository: GitopsRepository;
    /** `app.baseUrl`: the pull request links the audit record on the tab. */
    appBaseUrl?: string;
  };
}

/** The gate kinds a rollback is held to: the target's image findings and the change windows. */
export const ROLLBACK_GATE_KINDS = ['vulnerabilities', 'change-window'];

/** What one request acts on, once located. */
interface Located {
  state: DeliveryState;
  view: ApplicationView;
  live: LiveApplication;
  base: NewAuditRecord;
  /** A rollback of an auto-synced Application: the source its pull request restores. */
  restore?: RestoreSource;
}

/** A GitOps rollback's answer also names its pull request, fresh or replayed. */
function withPullRequest(
  response: ApplicationActionResponse,
): ApplicationActionResponse {
  const { pullRequest } = response.record;
  return pullRequest ? { ...response, pullRequest } : response;
}

/** The lock and audit key of an Application (never a Rollout's key). */
export function applicationKey(view: ApplicationView): string {
  return [
    'application',
    view.instance,
    view.appNamespace ?? '',
    view.name,
  ].join('/');
}

/** Why no action may reach the Application for this entity, or undefined. */
export function applicationUnboundReason(
  view: ApplicationView,
): string | undefined {
  const { binding } = view;
  if (binding.bound || !binding.enforced) return undefined;
  return binding.reason ?? 'The Application is not bound to the entity';
}

/** What the record says the action is about, before its outcome. */
export function describeTarget(
  request: ApplicationActionRequest,
  view: ApplicationView,
): string {
  switch (request.action) {
    case 'refresh':
      return request.hard ? 'hard refresh' : 'refresh';
    case 'rollback': {
      const entry = view.history.find(h => h.id === request.historyId);
      const revision = entry?.revision ?? entry?.revisions?.[0];
      return `rollback to history ${request.historyId}${
        revision ? ` (revision ${revision.slice(0, 12)})` : ''
      }`;
    }
    default: {
      const picked = request.resources ?? [];
      const scope = picked.length
        ? `${picked.length} resource${picked.length === 1 ? '' : 's'}: ${picked
            .map(r => `${r.kind}/${r.name}`)
            .join(', ')}`
        : 'all resources';
      return `sync${request.prune ? ' with prune' : ''} of ${scope}`;
    }
  }
}

/**
 * The state an action was decided on: the same sync or rollback twice on
 * one state is a duplicate (a second click, a stale page). A refresh only
 * asks Argo CD to look again, so it is never a duplicate.
 */
function fingerprintOf(
  request: ApplicationActionRequest,
  view: ApplicationView,
  idempotencyKey: string,
): string {
  const state = `${view.history[0]?.id ?? '-'}/${
    view.operation?.startedAt ?? '-'
  }`;
  switch (request.action) {
    case 'refresh':
      return `refresh#${idempotencyKey}`;
    case 'rollback':
      return `rollback:${request.historyId}@${state}`;
    default:
      return `sync:${request.prune ? 'prune' : ''}:${(request.resources ?? [])
        .map(r => `${r.group ?? ''}/${r.kind}/${r.namespace ?? ''}/${r.name}`)
        .sort()
        .join(',')}@${state}`;
  }
}

// Argo CD answers a request its state refuses (an operation in progress,
// a rollback with auto-sync on, an unknown history id) with gRPC
// FailedPrecondition or InvalidArgument, which its gateway maps to 400.
const REFUSED_STATUSES = new Set([400, 409]);

/**
 * Creates the ApplicationActionService: authorize per entity, replay a
 * repeated idempotency key, locate the Application and refuse one that does
 * not name the entity back, record the request, call Argo CD under the
 * Application's lease and record the outcome. The same audit table,
 * idempotency, lease, auditor event and metrics counter as the rollout
 * actions.
 *
 * @public
 */
export function createApplicationActionService(
  options: ApplicationActionServiceOptions,
): ApplicationActionService {
  const { permissions, auditor, logger, locator, store } = options;
  const recorder = createIdempotentRecorder(store, options.lockTtlMs);
  const counter = options.metrics?.createCounter('delivery.actions', {
    description:
      'Rollout actions by action, decision (allowed, blocked, overridden, guard) and outcome',
  });

  async function holds(
    command: ApplicationActionCommand,
    ref: string,
    permission: typeof deliveryOverridePermission,
  ): Promise<boolean> {
    const [decision] = await permissions.authorize(
      [{ permission, resourceRef: ref }],
      { credentials: command.credentials },
    );
    return decision.result === AuthorizeResult.ALLOW;
  }

  /**
   * A rollback's policy: the change windows. Blocked unless overridden by
   * someone who holds the override permission (recorded as `overridden`);
   * answers the evaluation, or throws the recorded 409 (or 403).
   */
  async function gateRollback(
    command: ApplicationActionCommand,
    located: Located,
    entityRef: string,
  ): Promise<PolicyEvaluation | undefined> {
    if (command.request.action !== 'rollback' || !options.policy) {
      return undefined;
    }
    const evaluation = await options.policy.evaluate(
      located.state,
      command.request.environment,
      await rollbackTarget(command, located),
      { kinds: ROLLBACK_GATE_KINDS },
    );
    located.base.gates = evaluation.gates;
    if (evaluation.allowed) return evaluation;
    const failing = evaluation.gates.filter(g => g.blocking).map(g => g.name);
    if (command.request.override) {
      if (await holds(command, entityRef, deliveryOverridePermission)) {
        located.base.decision = 'overridden';
        logger.warn(
          `Break-glass rollback of ${located.base.rolloutKey} by ${
            located.base.actor
          } overrides: ${failing.join(', ')}`,
        );
        return evaluation;
      }
    }
    const message = command.request.override
      ? `Override refused: you lack the override permission; the policy "${
          evaluation.policy
        }" blocks: ${failing.join(', ')}`
      : `The policy "${evaluation.policy}" blocks this rollback: ${failing.join(
          ', ',
        )}`;
    const { record } = await recorder.insertOrReplay({
      ...located.base,
      decision: 'blocked',
      outcome: 'rejected',
      message,
    });
    if (command.request.override) {
      throw withDetails(new NotAllowedError(message), record, evaluation);
    }
    answer(record, evaluation);
    return evaluation;
  }

  /**
   * What a rollback would run, for the vulnerabilities gate: the images of
   * the chosen history entry's manifests (Argo CD renders them at its
   * revision), as the canary side of a rollout the scanners are asked
   * about, as the changes route does. Read only when the policy has a
   * vulnerabilities gate; images that cannot be read leave the gate
   * unknown, which fails closed.
   */
  async function rollbackTarget(
    command: ApplicationActionCommand,
    located: Located,
  ): Promise<RolloutView | undefined> {
    const gates =
      options.policy?.selectionFor(located.state).policy?.gates ?? [];
    if (!gates.some(g => g.kind === 'vulnerabilities')) return undefined;
    const { view, live } = located;
    const historyId = command.request.historyId!;
    const revision = entryRevision(view.history.find(h => h.id === historyId));
    let images: string[] = [];
    if (revision) {
      try {
        const { manifests } = await options.argocd.getManifests(
          live.instance,
          live.ref,
          revision,
        );
        images = imagesOf(parseManifests(manifests));
      } catch (error) {
        logger.warn(
          `Rollback of ${
            located.base.rolloutKey
          }: the images at ${revision} could not be read: ${
            (error as Error).message
          }`,
        );
      }
    }
    return {
      instance: view.instance,
      application: view.name,
      ...(view.appNamespace ? { appNamespace: view.appNamespace } : {}),
      namespace: view.destination.namespace ?? '',
      name: `${view.name}@${historyId}`,
      strategy: 'canary',
      health: { status: 'Unknown' },
      steps: [],
      canaryWeight: 0,
      stableWeight: 100,
      // side names, not pod hashes: no Pod runs the target yet
      canaryPodHash: `rollback-${historyId}`,
      stablePodHash: 'rollback-current',
      canaryImages: images,
      stableImages: [],
      aborted: false,
      fullyPromoted: false,
      analysisRuns: [],
      actions: [],
    };
  }

  async function authorize(command: ApplicationActionCommand, ref: string) {
    const { action } = command.request;
    const permission =
      action === 'rollback'
        ? deliveryApplicationRollbackPermission
        : deliveryApplicationSyncPermission;
    const [decision] = await permissions.authorize(
      [{ permission, resourceRef: ref }],
      { credentials: command.credentials },
    );
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(
        `You are not allowed to ${action} Argo CD applications of ${ref}`,
      );
    }
  }

  /**
   * The source a GitOps rollback restores: for a rollback of an Application
   * that syncs automatically, from one path of a Git repository that
   * `integrations.github` reaches. Otherwise (or without the GitOps
   * repository) the rollback goes to Argo CD, which refuses it under
   * auto-sync with its own error, recorded as rejected.
   */
  function restoreOf(
    request: ApplicationActionRequest,
    view: ApplicationView,
    live: LiveApplication,
  ): RestoreSource | undefined {
    if (request.action !== 'rollback' || !view.autoSync || !options.gitops) {
      return undefined;
    }
    const source = restoreSourceOf(live.application);
    const why =
      typeof source === 'string'
        ? source
        : options.gitops.repository.unsupported(source.repoURL);
    if (why || typeof source === 'string') {
      logger.info(
        `Rollback of ${view.name} (auto-sync) goes to Argo CD: no pull request can restore it: ${why}`,
      );
      return undefined;
    }
    return source;
  }

  async function locate(
    command: ApplicationActionCommand,
    entityRef: string,
  ): Promise<Located> {
    const { request, credentials } = command;
    const state = await locator.getDeliveryState(command.ref, credentials, {
      fresh: true,
      contributors: false,
    });
    const env = state.overview.environments.find(
      e => e.name === request.environment,
    );
    if (!env) {
      throw new NotFoundError(
        `${entityRef} has no environment "${request.environment}"`,
      );
    }
    const named = env.applications.filter(
      a =>
        a.name === request.application &&
        (!request.instance || a.instance === request.instance),
    );
    if (named.length === 0) {
      throw new NotFoundError(
        `${entityRef} has no Argo CD application "${request.application}" in ${request.environment}`,
      );
    }
    if (named.length > 1) {
      throw new InputError(
        `Invalid instance: "${request.application}" is on ${named
          .map(a => a.instance)
          .join(' and ')}; name one`,
      );
    }
    const view = named[0];
    const live = state.applications.find(
      a =>
        a.environment === request.environment &&
        a.instance === view.instance &&
        a.ref.name === view.name,
    );
    if (!live) {
      throw new NotFoundError(
        `${entityRef} has no live state of "${view.name}" in ${request.environment}`,
      );
    }
    if (
      request.action === 'rollback' &&
      !view.history.some(h => h.id === request.historyId)
    ) {
      throw new NotFoundError(
        `"${view.name}" has no history entry ${request.historyId} (it has ${
          view.history.map(h => h.id).join(', ') || 'none'
        })`,
      );
    }
    for (const r of request.resources ?? []) {
      const known = (view.resources ?? []).some(
        m =>
          (m.group ?? '') === (r.group ?? '') &&
          m.kind === r.kind &&
          m.name === r.name &&
          (!r.namespace || m.namespace === r.namespace),
      );
      if (!known) {
        throw new InputError(
          `Invalid resources: ${r.kind}/${r.name} is not a resource of ${view.name}`,
        );
      }
    }
    const base: NewAuditRecord = {
      actor: actorOf(credentials),
      entityRef: state.entity.entityRef,
      environment: request.environment,
      instance: view.instance,
      rollout: view.name,
      rolloutKey: applicationKey(view),
      action: request.action,
      reason: request.reason,
      decision: 'allowed',
      outcome: 'requested',
      message: describeTarget(request, view),
      correlationId: command.correlationId,
      idempotencyKey: request.idempotencyKey,
    };
    const restore = restoreOf(request, view, live);
    if (restore) {
      const slug = githubRepository(restore.repoURL);
      base.message = `${base.message} through a pull request on ${
        slug ? `${slug.owner}/${slug.repo}` : 'the manifest repository'
      }`;
    }
    return { state, view, live, base, ...(restore ? { restore } : {}) };
  }

  /** Calls Argo CD and records the outcome (under the lease). */
  async function send(
    command: ApplicationActionCommand,
    located: Located,
    requested: AuditRecord,
  ): Promise<{
    record: AuditRecord;
    succeeded: boolean;
    app?: ArgoCdApplication;
  }> {
    const { request } = command;
    const { live, base } = located;
    const target = base.message ?? request.action;
    if (located.restore) {
      return openPullRequest(command, located, requested, located.restore);
    }
    let app: ArgoCdApplication;
    try {
      if (request.action === 'refresh') {
        app = await options.argocd.refreshApplication(
          live.instance,
          live.ref,
          request.hard === true,
        );
      } else if (request.action === 'rollback') {
        app = await options.argocd.rollbackApplication(
          live.instance,
          live.ref,
          request.historyId!,
        );
      } else {
        app = await options.argocd.syncApplication(live.instance, live.ref, {
          prune: request.prune === true,
          resources: request.resources?.map(r => ({
            group: r.group ?? '',
            kind: r.kind,
            namespace: r.namespace,
            name: r.name,
          })),
        });
      }
    } catch (error) {
      const status = isArgoCdError(error) ? error.status : undefined;
      const refused = status !== undefined && REFUSED_STATUSES.has(status);
      const text = error instanceof Error ? error.message : String(error);
      const message = refused
        ? `Argo CD refused the ${target}: ${text}`
        : `Argo CD did not run the ${target}: ${text}`;
      logger.warn(`${request.action} of ${base.rolloutKey} failed: ${message}`);
      const record = await store.complete(requested.id, {
        outcome: refused ? 'rejected' : 'failed',
        upstreamStatus: status,
        message,
      });
      return { record, succeeded: false };
    }
    const phase = app.status?.operationState?.phase;
    logger.info(
      `${target} of ${base.rolloutKey} by ${base.actor} succeeded${
        phase ? ` (operation ${phase})` : ''
      }`,
    );
    const record = await store.complete(requested.id, {
      outcome: 'succeeded',
      upstreamStatus: 200,
      message:
        request.action === 'refresh'
          ? target
          : `${target}: operation ${phase ?? 'started'}`,
    });
    return { record, succeeded: true, app };
  }

  /** The GitOps rollback: a pull request that restores the Application's path. */
  async function openPullRequest(
    command: ApplicationActionCommand,
    located: Located,
    requested: AuditRecord,
    source: RestoreSource,
  ): Promise<{ record: AuditRecord; succeeded: boolean }> {
    const { view, base } = located;
    const target = base.message ?? 'rollback';
    const entry = view.history.find(h => h.id === command.request.historyId)!;
    const revision = entryRevision(entry) ?? '';
    const text = pullRequestText({
      view,
      environment: command.request.environment,
      entry,
      revision,
      source,
      record: requested,
      auditUrl: auditRecordUrl(
        options.gitops!.appBaseUrl,
        command.ref,
        requested.id,
      ),
    });
    try {
      const pr = await options.gitops!.repository.openRestorePullRequest({
        ...source,
        revision,
        ...text,
      });
      const pullRequest: RollbackPullRequest = {
        repository: pr.repository,
        repoURL: source.repoURL,
        number: pr.number,
        url: pr.url,
        branch: pr.branch,
        base: pr.base,
        revision,
        ...(source.path ? { path: source.path } : {}),
        environment: command.request.environment,
        application: view.name,
        recordId: requested.id,
        tracking: 'open',
      };
      logger.info(
        `Rollback of ${base.rolloutKey} by ${base.actor}: pull request #${pr.number} opened on ${pr.repository}`,
      );
      const record = await store.complete(requested.id, {
        outcome: 'succeeded',
        upstreamStatus: 201,
        message: `${target}: pull request #${pr.number} opened on ${pr.repository}`,
        pullRequest,
      });
      return { record, succeeded: true };
    } catch (error) {
      const status =
        error instanceof GithubWriteError ? error.status : undefined;
      const message = `GitHub did not open the pull request for the ${target}: ${
        error instanceof Error ? error.message : String(error)
      }`;
      logger.warn(`rollback of ${base.rolloutKey} failed: ${message}`);
      const record = await store.complete(requested.id, {
        outcome: 'failed',
        upstreamStatus: status,
        message,
      });
      return { record, succeeded: false };
    }
  }

  async function run(
    command: ApplicationActionCommand,
    entityRef: string,
  ): Promise<ApplicationActionResponse> {
    const { request } = command;
    validateApplicationAction(request);
    await authorize(command, entityRef);
    const replayed = await recorder.replay(entityRef, request.idempotencyKey);
    if (replayed) return withPullRequest({ record: answer(replayed) });

    const located = await locate(command, entityRef);
    const unbound = applicationUnboundReason(located.view);
    if (unbound) {
      logger.warn(
        `Refused ${request.action} of ${located.base.rolloutKey} for ${entityRef} by ${located.base.actor}: ${unbound}`,
      );
      const { record } = await recorder.insertOrReplay({
        ...located.base,
        decision: 'blocked',
        outcome: 'rejected',
        message: unbound,
      });
      throw withDetails(
        new NotAllowedError(
          `Actions on ${located.view.name} are not allowed for this entity: ${unbound}`,
        ),
        record,
      );
    }

    const evaluation = await gateRollback(command, located, entityRef);

    const claimed = await recorder.insertOrReplay(located.base);
    if (!claimed.fresh)
      return withPullRequest({ record: answer(claimed.record) });
    let app: ArgoCdApplication | undefined;
    const record = await runUnderLease(
      {
        lock: options.lock,
        store,
        rolloutKey: located.base.rolloutKey,
        rollout: located.view.name,
        environment: request.environment,
        action: request.action,
        requested: claimed.record,
        fingerprint: fingerprintOf(
          request,
          located.view,
          request.idempotencyKey,
        ),
        ttlMs: options.lockTtlMs,
      },
      async () => {
        const sent = await send(command, located, claimed.record);
        app = sent.app;
        return sent;
      },
    );
    const operation = app ? operationViewOf(app) : undefined;
    return withPullRequest({
      record: answer(record, evaluation),
      ...(operation ? { operation } : {}),
    });
  }

  return {
    async execute(command) {
      const { request } = command;
      const entityRef = stringifyEntityRef(command.ref);
      const event = await auditor.createEvent({
        eventId: 'application-action',
        severityLevel: 'high',
        request: command.httpRequest,
        meta: {
          entityRef,
          actor: actorOf(command.credentials),
          environment: request.environment,
          application: request.application,
          action: request.action,
          reason: request.reason,
          idempotencyKey: request.idempotencyKey,
          ...(request.historyId !== undefined
            ? { historyId: request.historyId }
            : {}),
        },
      });
      const count = (record: AuditRecord) =>
        counter?.add(1, {
          action: record.action,
          decision: record.decision,
          outcome: record.outcome,
        });
      try {
        const response = await run(command, entityRef);
        count(response.record);
        await event.success({
          meta: {
            recordId: response.record.id,
            decision: response.record.decision,
            outcome: response.record.outcome,
          },
        });
        return response;
      } catch (error) {
        const record = (error as { record?: AuditRecord }).record;
        if (record) count(record);
        await event.fail({
          error: error as Error,
          meta: record
            ? {
                recordId: record.id,
                decision: record.decision,
                outcome: record.outcome,
              }
            : {},
        });
        throw error;
      }
    },
  };
}
