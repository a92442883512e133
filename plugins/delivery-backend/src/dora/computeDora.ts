import type {
  DoraBand,
  DoraDeployment,
  DoraFailure,
  DoraFigure,
  DoraFigures,
} from '@gitops-delivery/backstage-plugin-delivery-common';

/** A successful sync of an environment's application (Argo CD history). */
export interface DeploymentEvent {
  /** Epoch milliseconds. */
  at: number;
  revision?: string;
  images: string[];
  /** Commit time of the revision (revision metadata), epoch ms. */
  committedAt?: number;
  /**
   * Whose history it is (a System's component): deployments and failures
   * are matched within one history only, then counted together.
   */
  stream?: string;
}

/** A rollout aborted (audit trail, guard) or rolled back (Argo CD history). */
export interface FailureEvent {
  at: number;
  kind: 'abort' | 'rollback';
  source: string;
  /** Whose history it is; see DeploymentEvent.stream. */
  stream?: string;
}

/** What the figures are computed from. */
export interface DoraInput {
  deployments: DeploymentEvent[];
  failures: FailureEvent[];
  windowDays: number;
  /** End of the window, epoch ms. */
  now: number;
}

/** The four figures and the data behind them. */
export interface DoraResult {
  figures: DoraFigures;
  deployments: DoraDeployment[];
  failures: DoraFailure[];
}

const DAY = 86_400_000;
const HOUR = 3_600_000;

function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

const sameImages = (a: string[], b: string[]) =>
  a.length === b.length && [...a].sort().join(',') === [...b].sort().join(',');

/**
 * Whether a sync changed nothing that runs: the same revision again, or
 * (where both images are known) the same images from another revision.
 */
function sameContent(a: DeploymentEvent, b: DeploymentEvent): boolean {
  if (a.revision !== undefined && a.revision === b.revision) return true;
  if (a.images.length && b.images.length) return sameImages(a.images, b.images);
  return a.revision === undefined && b.revision === undefined
    ? sameImages(a.images, b.images)
    : false;
}

/**
 * The deployments that changed what runs: a sync that re-applied the same
 * images (a config-only change, a re-sync) is not a deployment. A revision
 * that comes back (a rollback) is a deployment, but has no lead time of
 * its own: its commit went out before.
 */
export function imageChangingDeployments(
  events: DeploymentEvent[],
): DeploymentEvent[] {
  const sorted = [...events].sort((a, b) => a.at - b.at);
  const seen = new Set<string>();
  return sorted
    .filter((d, i) => i === 0 || !sameContent(d, sorted[i - 1]))
    .map(d => {
      const again = d.revision !== undefined && seen.has(d.revision);
      if (d.revision !== undefined) seen.add(d.revision);
      return again ? { ...d, committedAt: undefined } : d;
    });
}

interface Linked {
  deployments: Array<
    DeploymentEvent & { failed: boolean; restoredAt?: number }
  >;
  failures: Array<FailureEvent & { restoredAt?: number }>;
}

/** Ties each failure to the deployment it hit and to the deployment that restored service. */
function link(
  deployments: DeploymentEvent[],
  failures: FailureEvent[],
): Linked {
  const deps = deployments.map(d => ({
    ...d,
    failed: false as boolean,
    restoredAt: undefined as number | undefined,
  }));
  const fails: Linked['failures'] = [];
  const sorted = [...failures].sort((a, b) => a.at - b.at);
  for (const f of sorted) {
    let hit: (typeof deps)[number] | undefined;
    for (const d of deps) if (d.at <= f.at) hit = d;
    // one incident per deployment: the guard's abort and the Rollout
    // seen aborted are the same failure, counted from the earliest
    if (hit?.failed) continue;
    const next = deps.find(d => d.at > f.at);
    if (hit) {
      hit.failed = true;
      hit.restoredAt = next?.at;
    }
    fails.push({ ...f, restoredAt: next?.at });
  }
  return { deployments: deps, failures: fails };
}

/** Filters and links each history on its own, then puts them together in time order. */
function linkStreams(
  deployments: DeploymentEvent[],
  failures: FailureEvent[],
): Linked {
  const streams = new Set([
    ...deployments.map(d => d.stream),
    ...failures.map(f => f.stream),
  ]);
  const all: Linked = { deployments: [], failures: [] };
  for (const stream of streams) {
    const one = link(
      imageChangingDeployments(deployments.filter(d => d.stream === stream)),
      failures.filter(f => f.stream === stream),
    );
    all.deployments.push(...one.deployments);
    all.failures.push(...one.failures);
  }
  all.deployments.sort((a, b) => a.at - b.at);
  all.failures.sort((a, b) => a.at - b.at);
  return all;
}

interface WindowFigures {
  deploymentFrequency: number | null;
  leadTimeForChanges: number | null;
  changeFailureRate: number | null;
  timeToRestore: number | null;
  sizes: [number, number, number, number];
}

function figuresIn(
  linked: Linked,
  from: number,
  to: number,
  days: number,
): WindowFigures {
  const deps = linked.deployments.filter(d => d.at >= from && d.at < to);
  const leads = deps
    .filter(d => d.committedAt !== undefined && d.committedAt <= d.at)
    .map(d => (d.at - d.committedAt!) / HOUR);
  const fails = linked.failures.filter(f => f.at >= from && f.at < to);
  const restores = fails
    .filter(f => f.restoredAt !== undefined)
    .map(f => (f.restoredAt! - f.at) / HOUR);
  return {
    deploymentFrequency: days > 0 ? deps.length / days : null,
    leadTimeForChanges: median(leads),
    changeFailureRate: deps.length
      ? deps.filter(d => d.failed).length / deps.length
      : null,
    timeToRestore: median(restores),
    sizes: [deps.length, leads.length, deps.length, restores.length],
  };
}

/** DORA bands as the State of DevOps report draws them. */
export function bandOf(
  figure: keyof DoraFigures,
  value: number | null,
): DoraBand | undefined {
  if (value === null) return undefined;
  switch (figure) {
    case 'deploymentFrequency': // per day: on demand, weekly, monthly
      if (value >= 1) return 'elite';
      if (value >= 1 / 7) return 'high';
      if (value >= 1 / 30) return 'medium';
      return 'low';
    case 'leadTimeForChanges': // hours: a day, a week, a month
    case 'timeToRestore': // hours: an hour, a day, a week
      if (figure === 'timeToRestore') {
        if (value < 1) return 'elite';
        if (value < 24) return 'high';
        if (value < 24 * 7) return 'medium';
        return 'low';
      }
      if (value < 24) return 'elite';
      if (value < 24 * 7) return 'high';
      if (value < 24 * 30) return 'medium';
      return 'low';
    case 'changeFailureRate':
      if (value <= 0.05) return 'elite';
      if (value <= 0.1) return 'high';
      if (value <= 0.15) return 'medium';
      return 'low';
    default:
      return undefined;
  }
}

const HIGHER_IS_BETTER: Record<keyof DoraFigures, boolean> = {
  deploymentFrequency: true,
  leadTimeForChanges: false,
  changeFailureRate: false,
  timeToRestore: false,
};

function trendOf(
  figure: keyof DoraFigures,
  value: number | null,
  previous: number | null,
): DoraFigure['trend'] {
  if (value === null || previous === null) return undefined;
  if (value === previous) return 'same';
  return value > previous === HIGHER_IS_BETTER[figure] ? 'better' : 'worse';
}

const UNITS: Record<keyof DoraFigures, DoraFigure['unit']> = {
  deploymentFrequency: 'per-day',
  leadTimeForChanges: 'hours',
  changeFailureRate: 'ratio',
  timeToRestore: 'hours',
};

const ORDER = [
  'deploymentFrequency',
  'leadTimeForChanges',
  'changeFailureRate',
  'timeToRestore',
] as const;

/**
 * Computes the four DORA figures over the window ending at `now`, the same
 * figures over the window before (for the trend), and a sparkline of daily
 * buckets.
 */
export function computeDora(input: DoraInput): DoraResult {
  const { windowDays, now } = input;
  const start = now - windowDays * DAY;
  const linked = linkStreams(input.deployments, input.failures);
  const current = figuresIn(linked, start, now, windowDays);
  const previous = figuresIn(
    linked,
    start - windowDays * DAY,
    start,
    windowDays,
  );

  const buckets: Array<{ t: number; f: WindowFigures }> = [];
  for (let from = start; from < now; from += DAY) {
    const to = Math.min(now, from + DAY);
    buckets.push({
      t: Math.floor(from / 1000),
      f: figuresIn(linked, from, to, (to - from) / DAY),
    });
  }

  const figures = {} as DoraFigures;
  ORDER.forEach((name, i) => {
    const value = current[name];
    figures[name] = {
      value,
      unit: UNITS[name],
      band: bandOf(name, value),
      previous: previous[name],
      trend: trendOf(name, value, previous[name]),
      series: buckets.map(b => ({ t: b.t, value: b.f[name] })),
      sampleSize: current.sizes[i],
    };
  });

  const iso = (ms?: number) =>
    ms === undefined ? undefined : new Date(ms).toISOString();
  return {
    figures,
    deployments: linked.deployments
      .filter(d => d.at >= start && d.at < now)
      .map(d => ({
        at: iso(d.at)!,
        revision: d.revision,
        images: d.images,
        committedAt: iso(d.committedAt),
        failed: d.failed,
        restoredAt: iso(d.restoredAt),
        ...(d.stream ? { component: d.stream } : {}),
      })),
    failures: linked.failures
      .filter(f => f.at >= start && f.at < now)
      .map(f => ({
        at: iso(f.at)!,
        kind: f.kind,
        source: f.source,
        restoredAt: iso(f.restoredAt),
        ...(f.stream ? { component: f.stream } : {}),
      })),
  };
}
