import type { DoraBand } from '@gitops-delivery/backstage-plugin-delivery-common';
import { computeDora } from '../dora/computeDora';
import { historyOf } from '../dora/doraFigures';
import type { DeploymentStore, RecordedEvent } from '../dora/DeploymentStore';

const DAY = 86_400_000;
/** The window of the fleet's DORA band (the DORA card's default). */
const WINDOW_DAYS = 30;
const RANK: Record<DoraBand, number> = { elite: 0, high: 1, medium: 2, low: 3 };

/**
 * The band of one environment's history: the lowest band of the four
 * figures that have a value (a team is as fast as its slowest figure).
 */
export function doraBandOf(
  events: RecordedEvent[],
  now: number,
): DoraBand | undefined {
  const { figures } = computeDora({
    ...historyOf(events),
    windowDays: WINDOW_DAYS,
    now,
  });
  let worst: DoraBand | undefined;
  for (const figure of Object.values(figures) as Array<{
    band?: DoraBand;
  }>) {
    if (figure.band && (!worst || RANK[figure.band] > RANK[worst])) {
      worst = figure.band;
    }
  }
  return worst;
}

/** DORA bands per entity and environment, from the recorded history. */
export type FleetDora = (
  entityRefs: string[],
) => Promise<Map<string, Map<string, DoraBand>>>;

/**
 * Reads the deployment history of every row in one query (no upstream
 * call) and keeps each entity's bands for `ttlMs`.
 */
export function createFleetDora(options: {
  store: DeploymentStore;
  ttlMs: number;
  now?: () => number;
}): FleetDora {
  const now = options.now ?? (() => Date.now());
  const memo = new Map<string, { at: number; bands: Map<string, DoraBand> }>();
  return async entityRefs => {
    const at = now();
    const stale = entityRefs.filter(
      ref => (memo.get(ref)?.at ?? -Infinity) <= at - options.ttlMs,
    );
    if (stale.length > 0) {
      const events = await options.store.list({
        entityRefs: stale,
        since: at - (2 * WINDOW_DAYS + 7) * DAY,
      });
      const grouped = new Map<string, Map<string, RecordedEvent[]>>();
      for (const ref of stale) grouped.set(ref, new Map());
      for (const e of events) {
        const byEnv = grouped.get(e.entityRef);
        if (!byEnv) continue;
        byEnv.set(e.environment, [...(byEnv.get(e.environment) ?? []), e]);
      }
      if (memo.size > 5000) memo.clear();
      for (const [ref, byEnv] of grouped) {
        const bands = new Map<string, DoraBand>();
        for (const [environment, list] of byEnv) {
          const band = doraBandOf(list, at);
          if (band) bands.set(environment, band);
        }
        memo.set(ref, { at, bands });
      }
    }
    return new Map(entityRefs.map(ref => [ref, memo.get(ref)!.bands]));
  };
}
