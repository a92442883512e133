import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { podSuffix } from '../ids';
import type { RolloutState } from '../rollouts/types';
import { SCENARIO_DIR } from '../world/load';
import type { WorldState } from '../world/state';
import type { SeriesSample } from './series';

/** The counter Falcosidekick 2.x exposes, one series per rule, priority and Pod. */
export const FALCO_EVENTS_METRIC =
  'falcosecurity_falcosidekick_falco_events_total';

/** One Falco rule's detections in a side's first Pod. */
interface DetectionSpec {
  rule: string;
  priority: string;
  source: string;
  tags: string;
  /** Simulated seconds after the canary started at which each event fires. */
  events: number[];
}

type FalcoProfiles = Record<
  string,
  { canary?: DetectionSpec[]; stable?: DetectionSpec[] }
>;

let profiles: FalcoProfiles | undefined;

function loadProfiles(): FalcoProfiles {
  profiles ??= JSON.parse(
    readFileSync(join(SCENARIO_DIR, 'security', 'falco.json'), 'utf8'),
  );
  return profiles!;
}

/** The name of a ReplicaSet's first Pod, as the sandbox's resource tree names it. */
export function firstPodName(r: RolloutState, hash: string): string {
  const name = `${r.name}-${hash}`;
  return `${name}-${podSuffix(`${name}:0:${r.restartAt ?? 0}`)}`;
}

/**
 * Falcosidekick's event counters of a Rollout at a simulated instant: per
 * rule and Pod, the events fired so far (a series exists from its first
 * event on). The canary's detections count from when its Pods started
 * (the first traffic state naming its hash) while it is not promoted;
 * stable's from the Rollout's creation.
 */
export function falcoSeries(
  world: WorldState,
  r: RolloutState,
  simMs: number,
): SeriesSample[] {
  const scenario = world.scenarios[r.service]?.name;
  const profile = scenario ? loadProfiles()[scenario] : undefined;
  if (!profile || typeof profile !== 'object') return [];
  const sides: Array<[DetectionSpec[] | undefined, string, number]> = [
    [profile.stable, r.stableHash, r.createdAt],
  ];
  // the canary's Pods start with the first traffic state that names its hash
  const canaryStart = r.traffic.find(
    p => p.canaryHash === r.canaryHash && p.canaryHash !== p.stableHash,
  )?.at;
  if (r.canaryHash !== r.stableHash && canaryStart !== undefined) {
    sides.push([profile.canary, r.canaryHash, canaryStart]);
  }
  const series: SeriesSample[] = [];
  for (const [specs, hash, startedAt] of sides) {
    for (const spec of specs ?? []) {
      const fired = spec.events.filter(
        s => startedAt + s * 1000 <= simMs,
      ).length;
      if (fired === 0) continue;
      series.push({
        labels: {
          __name__: FALCO_EVENTS_METRIC,
          hostname: 'falcosidekick-7c9f8d6b5-x2x8k',
          rule: spec.rule,
          priority: spec.priority,
          priority_raw: spec.priority.toLowerCase(),
          source: spec.source,
          tags: spec.tags,
          k8s_ns_name: r.namespace,
          k8s_pod_name: firstPodName(r, hash),
          job: 'falcosidekick',
          instance: 'falcosidekick:2801',
        },
        rate: 0,
        value: fired,
      });
    }
  }
  return series;
}
