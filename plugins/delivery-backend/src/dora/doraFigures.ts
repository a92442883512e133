import type {
  DoraEnvironmentFigures,
  DoraWindowDays,
} from '@gitops-delivery/backstage-plugin-delivery-common';
import { computeDora } from './computeDora';
import type { RecordedEvent } from './DeploymentStore';

/** What the figures of one DORA response are computed from. */
export interface DoraFiguresInput {
  /** The recorded history of every covered entity. */
  events: RecordedEvent[];
  /** Environment names in the order the overviews showed them. */
  order: string[];
  /** Only this environment, when asked for. */
  environment?: string;
  /** A system's figures: each component is its own deployment stream. */
  isSystem: boolean;
  windowDays: DoraWindowDays;
  /** Epoch ms: the end of the window. */
  now: number;
}

/**
 * What computeDora reads of a recorded history: its deployments and its
 * failures (aborts, rollbacks), each in its deployment stream when `stream`
 * names one.
 */
export function historyOf(
  events: RecordedEvent[],
  stream: (e: RecordedEvent) => string | undefined = () => undefined,
) {
  return {
    deployments: events
      .filter(e => e.kind === 'deployment')
      .map(e => ({
        at: e.at,
        revision: e.revision,
        images: e.images ?? [],
        committedAt: e.committedAt,
        stream: stream(e),
      })),
    failures: events
      .filter(e => e.kind !== 'deployment')
      .map(e => ({
        at: e.at,
        kind: e.kind as 'abort' | 'rollback',
        source: e.source,
        stream: stream(e),
      })),
  };
}

/**
 * The DORA figures per environment: the overviews' environments first (in
 * their order), then any others the history knows, alphabetically. An
 * Application shared by components of a system counts once. Pure.
 */
export function doraFigures(input: DoraFiguresInput): DoraEnvironmentFigures[] {
  const unique = new Map<string, RecordedEvent>();
  for (const e of input.events) {
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
  const wanted = input.environment;
  const names = [
    ...input.order.filter(n => byEnvironment.has(n) || !wanted),
    ...[...byEnvironment.keys()].filter(n => !input.order.includes(n)).sort(),
  ].filter(n => !wanted || n === wanted);
  if (wanted && names.length === 0) names.push(wanted);

  const stream = (e: RecordedEvent) =>
    input.isSystem ? e.entityRef : undefined;
  return names.map(environment => {
    const list = byEnvironment.get(environment) ?? [];
    const result = computeDora({
      ...historyOf(list, stream),
      windowDays: input.windowDays,
      now: input.now,
    });
    return { environment, ...result };
  });
}
