import { createHash } from 'node:crypto';
import type {
  BackstageCredentials,
  CacheService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import {
  readDeliveryAnnotations,
  type RevisionMetadata,
  type SourceStatus,
} from '@gitops-delivery/backstage-plugin-delivery-common';
import type {
  ArgoCdAppRef,
  ArgoCdApplication,
} from '@gitops-delivery/backstage-plugin-delivery-node';
import type { BindingConfig } from '../binding/readBindingConfig';
import { assembleOverview } from '../services/overview/assembleOverview';
import { withDeadline } from '../services/overview/deadline';
import type { LoadedApplication } from '../services/overview/loadArgoCdState';
import type {
  DeliveryState,
  OverviewContributor,
} from '../services/overview/overviewTypes';
import { managedRollouts } from '../services/overview/rolloutResources';
import { runContributors } from '../services/overview/runContributors';
import type { SignalCache } from '../services/signals/SignalCache';
import type { VulnerabilitiesService } from '../services/vulnerabilities/VulnerabilitiesService';
import type { CellFacts, RowFacts } from './assembleFleet';
import { signalsOf, worstFinding } from './fleetSignalSummary';
import { readRowAnalysisRuns, runsAnalyses } from './fleetAnalysisRuns';
import type { FleetArgoCd, FleetSignals } from './fleetTypes';

/** What the fleet computed of one entity's signals (plain JSON, cached). */
export interface ComputedSignals {
  /** When they were computed. */
  at: string;
  environments: Record<string, FleetSignals>;
  /** The signal sources that failed (`<source>: <message>`). */
  errors: string[];
}

/** A row's signals as the page shows them. */
export type RowSignals =
  | ({ status: 'ready' } & ComputedSignals)
  | {
      status: 'computing';
      /** The entity's last computed signals, while newer ones are computed. */
      previous?: ComputedSignals;
    }
  | { status: 'failed'; message: string };

/** Computes the signals of the fleet's rows. */
export interface FleetCellSignals {
  /** Sets `signals` of every row that shows some, waiting at most `waitMs`. */
  fill(rows: RowFacts[], credentials: BackstageCredentials): Promise<void>;
}

const SHA = /^[0-9a-f]{40}$/;

/** How long an entity's last computed signals are shown while newer ones compute. */
export const LAST_KNOWN_TTL_MS = 15 * 60_000;

const causeOf = (error: unknown) =>
  error instanceof Error ? error.message : String(error);

/** Runs at most `n` tasks at a time, in the order they were queued. */
export function createLimiter(n: number) {
  let active = 0;
  const waiting: Array<() => void> = [];
  return async <T>(task: () => Promise<T>): Promise<T> => {
    if (active >= n) {
      // the slot is handed over by the task that ends (active unchanged)
      await new Promise<void>(resolve => waiting.push(resolve));
    } else {
      active += 1;
    }
    try {
      return await task();
    } finally {
      const next = waiting.shift();
      if (next) next();
      else active -= 1;
    }
  };
}

/** A cell shows signals when it has Applications. */
const showsSignals = (cell: CellFacts) => cell.applications.length > 0;

/**
 * What the signals of a row depend on: its Applications' revisions, images,
 * sync and health, and its canaries' steps. Another value is another
 * computation; the same value within the TTL is the cached one.
 */
export function signalsFingerprint(row: RowFacts): string {
  const parts = row.cells.filter(showsSignals).map(cell => ({
    e: cell.environment,
    a: cell.applications.map(({ instance, application: a }) => [
      instance,
      a.metadata.namespace ?? '',
      a.metadata.name,
      (a as ArgoCdApplication).status?.sync?.revision ?? '',
      a.status?.sync?.status ?? '',
      a.status?.health?.status ?? '',
      ...(a.status?.summary?.images ?? []),
    ]),
    c: cell.canaries.map(c => [c.rollout, c.step, c.canaryWeight, c.aborted]),
    x: cell.errors.length > 0,
  }));
  return createHash('sha256')
    .update(JSON.stringify(parts))
    .digest('hex')
    .slice(0, 24);
}

/** Why the page's state of the entity lacks what the policy would read. */
export const NO_ANALYSIS_RUNS =
  'the AnalysisRuns of the canary were not read (its Delivery tab has the verdict)';

const refOf = (application: ArgoCdApplication): ArgoCdAppRef => ({
  name: application.metadata.name,
  appNamespace: application.metadata.namespace,
  project: application.spec?.project,
});

/**
 * The entity's delivery state as the overview would model it, built from
 * what the fleet has read (the instance-wide Application lists and the
 * Rollouts of the cells with a canary under way, and those Rollouts'
 * AnalysisRuns: readRowAnalysisRuns) without another Argo CD read: no
 * resource tree or revision metadata (a git revision is known from the
 * Application's sync status). A cell that could not be read in full, or
 * whose Rollout runs analyses whose runs were not read, marks its
 * Applications incomplete, so the policy is not evaluated over it (as the
 * tab does with an incomplete read) rather than judged without them.
 */
export function fleetDeliveryState(
  row: RowFacts,
  options: {
    environments: string[];
    binding: BindingConfig;
    applicationUrl(instance: string, app: ArgoCdAppRef): string;
    now: Date;
  },
): DeliveryState {
  const { entity, entityRef } = row.item;
  const annotations = readDeliveryAnnotations(entity);
  const loaded: LoadedApplication[] = row.cells
    .filter(showsSignals)
    .flatMap(cell =>
      cell.applications.map(listed => {
        const application = listed.application as ArgoCdApplication;
        const ref = refOf(application);
        const revision = application.status?.sync?.revision;
        const metadata = new Map<number, RevisionMetadata>(
          revision && SHA.test(revision) ? [[-1, {}]] : [],
        );
        const read = cell.rollouts.filter(r => r.listed === listed);
        const incomplete = [...cell.errors];
        for (const r of read) {
          if (r.analysisErrors) incomplete.push(...r.analysisErrors);
          else if (!r.analysisRuns && runsAnalyses(r.rollout)) {
            incomplete.push(NO_ANALYSIS_RUNS);
          }
        }
        return {
          live: {
            environment: cell.environment,
            instance: listed.instance,
            ref,
            application,
            incomplete,
          },
          metadata,
          rollouts: read.map(r => ({
            environment: cell.environment,
            instance: listed.instance,
            app: ref,
            resource: r.resource,
            rollout: r.rollout,
            analysisRuns: r.analysisRuns ?? [],
            actions: [],
          })),
        };
      }),
    );
  const assembled = assembleOverview({
    entity,
    loaded,
    environments: options.environments,
    binding: options.binding,
    applicationUrl: options.applicationUrl,
    now: options.now,
  });
  const unread = [
    ...new Set(row.cells.flatMap(c => c.failedInstances ?? [])),
  ].map(
    (instance): SourceStatus => ({
      source: 'argocd',
      instance,
      status: 'error',
      message: `Argo CD instance "${instance}" could not be read`,
    }),
  );
  return {
    entity: { entity, entityRef, ...annotations },
    overview: {
      entityRef,
      generatedAt: options.now.toISOString(),
      annotations: annotations.annotations,
      warnings: [],
      sources: unread,
      environments: assembled.environments,
    },
    applications: assembled.applications,
    rollouts: assembled.rollouts,
    configuredEnvironments: options.environments,
  };
}

/**
 * Creates the fleet's signal computation: each row that shows signals gets
 * the entity's SLO, scan, CI and policy summaries from the overview's own
 * contributors (the tab's code, services and caches) run over the state the
 * fleet has read (fleetDeliveryState), plus the findings of the images of
 * settled Rollouts (whose Rollout objects the fleet does not read) through
 * the same VulnerabilitiesService. Each entity's result is kept on the
 * signal cache for the live-state TTL under a fingerprint of what it
 * depends on; at most `concurrency` entities compute at a time, each within
 * `budgetMs`; the page waits `waitMs`, and a row still computing then says
 * so, with the entity's last computed signals (and their time) if any
 * so (its computation goes on and lands in the cache for the next refresh).
 */
export function createFleetCellSignals(options: {
  /** Reads the AnalysisRuns of the rows' Rollouts in progress (cached client). */
  argocd: Pick<FleetArgoCd, 'getResource' | 'getResourceTree'>;
  /** The overview's registered contributors (read when a row computes). */
  contributors: () => ReadonlyArray<OverviewContributor>;
  vulnerabilities?: Pick<VulnerabilitiesService, 'summarize'>;
  cache: SignalCache;
  /**
   * Where each entity's last computed signals are kept for `lastKnownTtlMs`,
   * shown (as such) while newer ones are being computed.
   */
  lastKnown?: CacheService;
  /** Default LAST_KNOWN_TTL_MS. */
  lastKnownTtlMs?: number;
  ttlMs: number;
  budgetMs: number;
  waitMs: number;
  concurrency: number;
  environments: string[];
  binding: BindingConfig;
  applicationUrl(instance: string, app: ArgoCdAppRef): string;
  logger: LoggerService;
  now?: () => Date;
}): FleetCellSignals {
  const { cache, logger } = options;
  const now = options.now ?? (() => new Date());
  const limit = createLimiter(Math.max(1, options.concurrency));
  const lastKey = (row: RowFacts) =>
    `fleet:cell-signals:last:v1:${row.item.entityRef}`;
  async function lastKnownOf(
    row: RowFacts,
  ): Promise<ComputedSignals | undefined> {
    try {
      return (await options.lastKnown?.get(lastKey(row))) as
        | ComputedSignals
        | undefined;
    } catch {
      return undefined;
    }
  }

  /** Findings of the images of an environment's settled Rollouts. */
  async function settledSecurity(
    state: DeliveryState,
    environment: string,
  ): Promise<FleetSignals['security']> {
    if (!options.vulnerabilities) return undefined;
    const targets = state.applications
      .filter(a => a.environment === environment)
      .flatMap(live => {
        const rollouts = managedRollouts(live.application);
        const images = live.application.status?.summary?.images ?? [];
        if (rollouts.length === 0 || images.length === 0) return [];
        return [
          {
            view: {
              instance: live.instance,
              application: live.ref.name,
              namespace: rollouts[0].namespace,
              name: rollouts[0].name,
              canaryImages: [],
              stableImages: images,
              fullyPromoted: true,
            },
            treeNodes: [],
            readResource: async () => {
              throw new Error(
                'the fleet reads no live manifest of a settled Rollout',
              );
            },
          },
        ];
      });
    if (targets.length === 0) return undefined;
    const { counts, sources } = await options.vulnerabilities.summarize({
      entity: state.entity,
      environment,
      rollouts: targets,
    });
    const failed = sources.filter(s => s.status === 'error');
    if (failed.length > 0) {
      throw new Error(
        failed.map(s => `${s.source}: ${s.message ?? 'failed'}`).join('; '),
      );
    }
    // no scanner answered: nothing is known, which is not "no finding"
    if (!sources.some(s => s.status === 'ok')) return undefined;
    return worstFinding(counts);
  }

  async function compute(
    row: RowFacts,
    credentials: BackstageCredentials,
  ): Promise<ComputedSignals> {
    const at = now();
    const deadline = Date.now() + options.budgetMs;
    // the canaries' AnalysisRuns, for the policy's analysis gate
    await readRowAnalysisRuns(options.argocd, row, deadline);
    const state = fleetDeliveryState(row, {
      environments: options.environments,
      binding: options.binding,
      applicationUrl: options.applicationUrl,
      now: at,
    });
    const sources = await runContributors(options.contributors(), state, {
      credentials,
      budgetMs: Math.max(1, deadline - Date.now()),
      logger,
    });
    const errors = sources
      .filter(s => s.status === 'error' && s.source !== 'argocd')
      .map(s => `${s.source}: ${s.message ?? 'failed'}`);
    const environments: Record<string, FleetSignals> = {};
    await Promise.all(
      state.overview.environments.map(async environment => {
        const signals = signalsOf(environment.summary);
        if (!signals.security && environment.rollouts.length === 0) {
          try {
            const security = await withDeadline(
              settledSecurity(state, environment.name),
              deadline,
              `security of ${environment.name}`,
            );
            if (security) signals.security = security;
          } catch (error) {
            errors.push(`vulnerabilities: ${causeOf(error)}`);
          }
        }
        environments[environment.name] = signals;
      }),
    );
    return { at: at.toISOString(), environments, errors };
  }

  return {
    async fill(rows, credentials) {
      const settled = new Map<RowFacts, RowSignals>();
      const tasks = rows
        .filter(row => !row.error && row.cells.some(showsSignals))
        .map(row =>
          cache
            .getOrLoad<ComputedSignals>(
              `fleet:cell-signals:v1:${row.item.entityRef}:${signalsFingerprint(
                row,
              )}`,
              options.ttlMs,
              () => limit(() => compute(row, credentials)),
            )
            .then(
              computed => {
                settled.set(row, { status: 'ready', ...computed });
                options.lastKnown
                  ?.set(lastKey(row), computed as any, {
                    ttl: options.lastKnownTtlMs ?? LAST_KNOWN_TTL_MS,
                  })
                  .catch(() => undefined);
              },
              error => {
                logger.warn(
                  `Delivery fleet: signals of ${row.item.entityRef}: ${causeOf(
                    error,
                  )}`,
                );
                settled.set(row, { status: 'failed', message: causeOf(error) });
              },
            ),
        );
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        Promise.all(tasks),
        new Promise<void>(resolve => {
          timer = setTimeout(resolve, options.waitMs);
        }),
      ]);
      clearTimeout(timer);
      await Promise.all(
        rows.map(async row => {
          if (row.error || !row.cells.some(showsSignals)) return;
          row.signals = settled.get(row) ?? {
            status: 'computing',
            previous: await lastKnownOf(row),
          };
        }),
      );
    },
  };
}
