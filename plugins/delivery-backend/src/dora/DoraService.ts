import type {
  BackstageCredentials,
  CacheService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import {
  parseEntityRef,
  RELATION_HAS_PART,
  stringifyEntityRef,
  type Entity,
} from '@backstage/catalog-model';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import type {
  AuditRecord,
  DoraEnvironmentFigures,
  DoraResponse,
  DoraSourceStatus,
  DoraWindowDays,
} from '@gitops-delivery/backstage-plugin-delivery-common';
import type { AuditStore } from '../audit/AuditStore';
import type {
  EntityRefParams,
  EntityResolver,
} from '../services/EntityResolver/EntityResolver';
import type { DeliveryViewState } from '@gitops-delivery/backstage-plugin-delivery-node';
import type { OverviewService } from '../services/overview/OverviewService';
import { computeDora } from './computeDora';
import type { DeploymentStore, RecordedEvent } from './DeploymentStore';
import { eventsFromAudit, eventsFromOverview } from './observedEvents';

/** What the DORA route asks for. */
export interface DoraRequest {
  windowDays: DoraWindowDays;
  environment?: string;
}

/** Computes the DORA figures of components and systems and records what it observes. */
export interface DoraService {
  getDora(
    ref: EntityRefParams,
    credentials: BackstageCredentials,
    request: DoraRequest,
  ): Promise<DoraResponse>;
  /** Records what an overview shows (Argo CD history, aborted Rollouts) and the entity's audited aborts. */
  recordObserved(state: DeliveryViewState): Promise<void>;
}

const DAY = 86_400_000;
/** Components of one system the figures cover at most. */
const MAX_COMPONENTS = 50;
/** Components read at the same time. */
const PARALLEL_COMPONENTS = 4;
/** An unchanged overview of an entity is recorded again only after this. */
const RECORD_AGAIN_AFTER_MS = 60_000;
/** Entities whose last recording is remembered (then it starts afresh). */
const MAX_REMEMBERED = 5_000;
/** Audit pages read per entity (newest first) when looking for aborts. */
const MAX_AUDIT_PAGES = 10;

function causeOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function callerKey(credentials: BackstageCredentials): string {
  const principal = credentials.principal as {
    type?: string;
    userEntityRef?: string;
    subject?: string;
  };
  return principal.type === 'user' && principal.userEntityRef
    ? principal.userEntityRef
    : `${principal.type}:${principal.subject ?? 'unknown'}`;
}

/** Creates the DoraService. */
export function createDoraService(options: {
  overviewService: OverviewService;
  entityResolver: EntityResolver;
  catalog: CatalogService;
  store: DeploymentStore;
  audit: AuditStore;
  cache: CacheService;
  logger: LoggerService;
  /** How long a computed response is reused, per caller. */
  cacheTtlMs: number;
  now?: () => number;
}): DoraService {
  const { overviewService, entityResolver, catalog, store, audit, logger } =
    options;
  const now = options.now ?? (() => Date.now());

  async function auditEvents(
    entityRef: string,
    since: number,
  ): Promise<RecordedEvent[]> {
    const records: AuditRecord[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < MAX_AUDIT_PAGES; page++) {
      const result = await audit.list({
        entityRef,
        action: 'abort',
        outcome: 'succeeded',
        since: new Date(since).toISOString(),
        limit: 100,
        cursor,
      });
      records.push(...result.items);
      cursor = result.nextCursor;
      if (!cursor) break;
    }
    return eventsFromAudit(records);
  }

  // What each entity's overview showed when it was last recorded: a page
  // polling every few seconds shows the same history, which needs no write
  const lastRecorded = new Map<string, { signature: string; at: number }>();

  async function recordObserved(
    state: DeliveryViewState,
    how: { since?: number; force?: boolean } = {},
  ) {
    const at = now();
    const entityRef = state.entity.entityRef;
    const observed = eventsFromOverview(state.overview, at);
    const signature = JSON.stringify(observed.map(e => [e.key, e.committedAt]));
    const last = lastRecorded.get(entityRef);
    if (
      !how.force &&
      last?.signature === signature &&
      at - last.at < RECORD_AGAIN_AFTER_MS
    ) {
      return;
    }
    const audited = await auditEvents(entityRef, how.since ?? at - 90 * DAY);
    await store.record([...observed, ...audited], at);
    if (lastRecorded.size >= MAX_REMEMBERED) lastRecorded.clear();
    lastRecorded.set(entityRef, { signature, at });
  }

  /** Observes one component (records what Argo CD and the audit show now). */
  async function observe(
    ref: EntityRefParams,
    credentials: BackstageCredentials,
    since: number,
  ): Promise<{
    entityRef: string;
    environments: string[];
    sources: DoraSourceStatus[];
  }> {
    const state = await overviewService.getDeliveryState(ref, credentials, {
      contributors: false,
    });
    const sources: DoraSourceStatus[] = state.overview.sources.map(s => ({
      source: s.instance ? `${s.source}:${s.instance}` : s.source,
      status: s.status,
      ...(s.message ? { message: s.message } : {}),
    }));
    try {
      await recordObserved(state, { since, force: true });
    } catch (error) {
      // the history read below still answers with what was recorded before
      logger.warn(
        `Could not record the deployments of ${
          state.entity.entityRef
        }: ${causeOf(error)}`,
      );
      sources.push({
        source: 'history',
        status: 'error',
        message: `Recording what Argo CD shows failed: ${causeOf(error)}`,
      });
    }
    return {
      entityRef: state.entity.entityRef,
      environments: state.overview.environments.map(e => e.name),
      sources,
    };
  }

  async function componentsOf(
    system: Entity,
    credentials: BackstageCredentials,
  ): Promise<EntityRefParams[]> {
    const refs = new Map<string, EntityRefParams>();
    for (const relation of system.relations ?? []) {
      if (relation.type !== RELATION_HAS_PART) continue;
      const target = parseEntityRef(relation.targetRef);
      if (target.kind.toLocaleLowerCase('en-US') === 'component') {
        refs.set(stringifyEntityRef(target), target);
      }
    }
    const namespace = system.metadata.namespace ?? 'default';
    const name = system.metadata.name;
    const { items } = await catalog.getEntities(
      {
        filter: {
          kind: 'component',
          'spec.system': [
            name,
            `${namespace}/${name}`,
            `system:${namespace}/${name}`,
          ],
        },
        fields: ['kind', 'metadata.namespace', 'metadata.name', 'spec.system'],
      },
      { credentials },
    );
    for (const item of items) {
      const ref = {
        kind: item.kind,
        namespace: item.metadata.namespace ?? 'default',
        name: item.metadata.name,
      };
      refs.set(stringifyEntityRef(ref), ref);
    }
    return [...refs.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([, ref]) => ref);
  }

  async function compute(
    ref: EntityRefParams,
    credentials: BackstageCredentials,
    request: DoraRequest,
  ): Promise<DoraResponse> {
    const end = now();
    // the window, the one before it (trend), and a week more so that a
    // failure early in the window finds the deployment it hit
    const since = end - (2 * request.windowDays + 7) * DAY;
    const resolved = await entityResolver.resolve(ref, credentials);
    const isSystem =
      resolved.entity.kind.toLocaleLowerCase('en-US') === 'system';
    const sources: DoraSourceStatus[] = [];
    const order: string[] = [];
    const entityRefs: string[] = [];
    let components: string[] | undefined;

    const targets = isSystem
      ? await componentsOf(resolved.entity, credentials)
      : [ref];
    if (targets.length > MAX_COMPONENTS) {
      sources.push({
        source: 'catalog',
        status: 'error',
        message: `The system has ${targets.length} components; the figures cover the first ${MAX_COMPONENTS}`,
      });
    }
    // a few components at a time: each is a whole Argo CD read
    const observed: Array<{
      targetRef: string;
      result?: Awaited<ReturnType<typeof observe>>;
      error?: string;
    }> = [];
    const limited = targets.slice(0, MAX_COMPONENTS);
    for (let i = 0; i < limited.length; i += PARALLEL_COMPONENTS) {
      observed.push(
        ...(await Promise.all(
          limited.slice(i, i + PARALLEL_COMPONENTS).map(async target => {
            const targetRef = stringifyEntityRef(target);
            try {
              return {
                targetRef,
                result: await observe(target, credentials, since),
              };
            } catch (error) {
              return { targetRef, error: causeOf(error) };
            }
          }),
        )),
      );
    }
    for (const o of observed) {
      if (o.result) {
        entityRefs.push(o.result.entityRef);
        for (const env of o.result.environments) {
          if (!order.includes(env)) order.push(env);
        }
        sources.push(
          ...o.result.sources.map(s =>
            isSystem ? { ...s, source: `${s.source} (${o.targetRef})` } : s,
          ),
        );
      } else {
        // one component failing degrades only its part of the figures
        sources.push({
          source: isSystem ? o.targetRef : 'argocd',
          status: 'error',
          message: o.error,
        });
      }
    }
    if (isSystem) components = observed.map(o => o.targetRef);

    let events: RecordedEvent[] = [];
    try {
      events = await store.list({
        entityRefs,
        environment: request.environment,
        since,
      });
      sources.push({ source: 'history', status: 'ok' });
    } catch (error) {
      sources.push({
        source: 'history',
        status: 'error',
        message: `The recorded deployment history could not be read: ${causeOf(
          error,
        )}`,
      });
    }
    // an Application shared by components of a system counts once
    const unique = new Map<string, RecordedEvent>();
    for (const e of events) {
      const key = `${e.environment}\u0000${e.key}`;
      if (!unique.has(key)) unique.set(key, e);
    }
    const byEnvironment = new Map<string, RecordedEvent[]>();
    for (const e of unique.values()) {
      byEnvironment.set(e.environment, [
        ...(byEnvironment.get(e.environment) ?? []),
        e,
      ]);
    }
    const names = [
      ...order.filter(n => byEnvironment.has(n) || !request.environment),
      ...[...byEnvironment.keys()].filter(n => !order.includes(n)).sort(),
    ].filter(n => !request.environment || n === request.environment);
    if (request.environment && names.length === 0) {
      names.push(request.environment);
    }

    const environments: DoraEnvironmentFigures[] = names.map(environment => {
      const list = byEnvironment.get(environment) ?? [];
      const result = computeDora({
        deployments: list
          .filter(e => e.kind === 'deployment')
          .map(e => ({
            at: e.at,
            revision: e.revision,
            images: e.images ?? [],
            committedAt: e.committedAt,
            stream: isSystem ? e.entityRef : undefined,
          })),
        failures: list
          .filter(e => e.kind !== 'deployment')
          .map(e => ({
            at: e.at,
            kind: e.kind as 'abort' | 'rollback',
            source: e.source,
            stream: isSystem ? e.entityRef : undefined,
          })),
        windowDays: request.windowDays,
        now: end,
      });
      return { environment, ...result };
    });

    return {
      entityRef: resolved.entityRef,
      windowDays: request.windowDays,
      generatedAt: new Date(end).toISOString(),
      ...(components ? { components } : {}),
      environments,
      sources,
    };
  }

  return {
    async getDora(ref, credentials, request) {
      // per caller: what a caller may see of a system depends on who asks
      const key = `dora:v1:${callerKey(credentials)}:${stringifyEntityRef(
        ref,
      )}:${request.windowDays}:${request.environment ?? ''}`;
      const cached = (await options.cache.get(key)) as DoraResponse | undefined;
      if (cached) return cached;
      const response = await compute(ref, credentials, request);
      if (options.cacheTtlMs > 0) {
        await options.cache.set(key, response as any, {
          ttl: options.cacheTtlMs,
        });
      }
      return response;
    },
    recordObserved: state => recordObserved(state),
  };
}
