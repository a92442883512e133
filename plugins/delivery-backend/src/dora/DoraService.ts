import type {
  BackstageCredentials,
  CacheService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import type {
  DoraResponse,
  DoraSourceStatus,
  DoraWindowDays,
} from '@gitops-delivery/backstage-plugin-delivery-common';
import type {
  EntityRefParams,
  EntityResolver,
} from '../services/EntityResolver/EntityResolver';
import type { OverviewService } from '../services/overview/OverviewService';
import type { DeploymentRecorder } from './DeploymentRecorder';
import type { DeploymentStore, RecordedEvent } from './DeploymentStore';
import { doraFigures } from './doraFigures';
import { systemComponents } from './systemComponents';
import { callerKey } from '../cache/callerKey';

/** What the DORA route asks for. */
export interface DoraRequest {
  windowDays: DoraWindowDays;
  environment?: string;
}

/** Computes the DORA figures of components and systems. */
export interface DoraService {
  getDora(
    ref: EntityRefParams,
    credentials: BackstageCredentials,
    request: DoraRequest,
  ): Promise<DoraResponse>;
}

/** Options of createDoraService. */
export interface DoraServiceOptions {
  overviewService: Pick<OverviewService, 'getDeliveryState'>;
  entityResolver: EntityResolver;
  catalog: CatalogService;
  /** The recorded history the figures are computed from. */
  store: Pick<DeploymentStore, 'list'>;
  /** Records what each component's Argo CD shows before the history is read. */
  recorder: DeploymentRecorder;
  cache: CacheService;
  logger: LoggerService;
  /** How long a computed response is reused, per caller. */
  cacheTtlMs: number;
  now?: () => number;
}

/** What one component's overview added to a DORA response. */
interface Observed {
  targetRef: string;
  result?: {
    entityRef: string;
    environments: string[];
    sources: DoraSourceStatus[];
  };
  error?: string;
}

const DAY = 86_400_000;
/** Components of one system the figures cover at most. */
const MAX_COMPONENTS = 50;
/** Components read at the same time. */
const PARALLEL_COMPONENTS = 4;

function causeOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Creates the DoraService: per component, read its overview and record what
 * it shows (DeploymentRecorder), then compute the figures from the recorded
 * history (doraFigures). A system's figures cover its components, a few at
 * a time.
 */
export function createDoraService(options: DoraServiceOptions): DoraService {
  const { overviewService, entityResolver, store, recorder, logger } = options;
  const now = options.now ?? (() => Date.now());

  /** Observes one component (records what Argo CD and the audit show now). */
  async function observe(
    ref: EntityRefParams,
    credentials: BackstageCredentials,
    since: number,
  ): Promise<NonNullable<Observed['result']>> {
    const state = await overviewService.getDeliveryState(ref, credentials, {
      contributors: false,
    });
    const sources: DoraSourceStatus[] = state.overview.sources.map(s => ({
      source: s.instance ? `${s.source}:${s.instance}` : s.source,
      status: s.status,
      ...(s.message ? { message: s.message } : {}),
    }));
    try {
      await recorder.record(state, { since, force: true });
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

  // a few components at a time: each is a whole Argo CD read
  async function observeAll(
    targets: EntityRefParams[],
    credentials: BackstageCredentials,
    since: number,
  ): Promise<Observed[]> {
    const observed: Observed[] = [];
    for (let i = 0; i < targets.length; i += PARALLEL_COMPONENTS) {
      observed.push(
        ...(await Promise.all(
          targets.slice(i, i + PARALLEL_COMPONENTS).map(async target => {
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
    return observed;
  }

  async function readHistory(
    entityRefs: string[],
    request: DoraRequest,
    since: number,
    sources: DoraSourceStatus[],
  ): Promise<RecordedEvent[]> {
    try {
      const events = await store.list({
        entityRefs,
        environment: request.environment,
        since,
      });
      sources.push({ source: 'history', status: 'ok' });
      return events;
    } catch (error) {
      sources.push({
        source: 'history',
        status: 'error',
        message: `The recorded deployment history could not be read: ${causeOf(
          error,
        )}`,
      });
      return [];
    }
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

    const targets = isSystem
      ? await systemComponents(options.catalog, resolved.entity, credentials)
      : [ref];
    if (targets.length > MAX_COMPONENTS) {
      sources.push({
        source: 'catalog',
        status: 'error',
        message: `The system has ${targets.length} components; the figures cover the first ${MAX_COMPONENTS}`,
      });
    }
    const observed = await observeAll(
      targets.slice(0, MAX_COMPONENTS),
      credentials,
      since,
    );
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
    const events = await readHistory(entityRefs, request, since, sources);
    return {
      entityRef: resolved.entityRef,
      windowDays: request.windowDays,
      generatedAt: new Date(end).toISOString(),
      ...(isSystem ? { components: observed.map(o => o.targetRef) } : {}),
      environments: doraFigures({
        events,
        order,
        environment: request.environment,
        isSystem,
        windowDays: request.windowDays,
        now: end,
      }),
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
  };
}
