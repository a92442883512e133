import type { Knex } from 'knex';

const TABLE = 'delivery_deployment_events';

/** A deployment or failure as it is recorded. */
export interface RecordedEvent {
  entityRef: string;
  environment: string;
  kind: 'deployment' | 'abort' | 'rollback';
  /** Identifies the event within the entity; recording it again is a no-op. */
  key: string;
  /** Epoch milliseconds. */
  at: number;
  revision?: string;
  images?: string[];
  /** Commit time of the revision, epoch ms, when known. */
  committedAt?: number;
  /** `argocd` or `audit`. */
  source: 'argocd' | 'audit';
}

/** Which recorded events to read. */
export interface EventQuery {
  entityRefs: string[];
  environment?: string;
  /** Epoch ms; events at or after it. */
  since: number;
}

/**
 * The observed deployment history in the plugin's database. Append-only:
 * a known event is never rewritten, except that a commit time learned
 * later fills an empty one.
 */
export interface DeploymentStore {
  /** Records events; ones already recorded are left as they are. */
  record(events: RecordedEvent[], now?: number): Promise<void>;
  list(query: EventQuery): Promise<RecordedEvent[]>;
}

interface Row {
  entity_ref: string;
  environment: string;
  kind: RecordedEvent['kind'];
  event_key: string;
  at: number | string;
  revision: string | null;
  images: string | null;
  committed_at: number | string | null;
  source: RecordedEvent['source'];
}

const CHUNK = 100;

/** Creates the DeploymentStore over the plugin's database (migrated). */
export function createDeploymentStore(knex: Knex): DeploymentStore {
  return {
    async record(events, now = Date.now()) {
      for (let i = 0; i < events.length; i += CHUNK) {
        const chunk = events.slice(i, i + CHUNK);
        const rows = chunk.map(e => ({
          entity_ref: e.entityRef,
          environment: e.environment,
          kind: e.kind,
          event_key: e.key,
          at: e.at,
          revision: e.revision ?? null,
          images: e.images?.length ? JSON.stringify(e.images) : null,
          committed_at: e.committedAt ?? null,
          source: e.source,
          recorded_at: now,
        }));
        await knex(TABLE)
          .insert(rows)
          .onConflict(['entity_ref', 'event_key'])
          .ignore();
        // revision metadata only exists for Argo CD's newest entries: a
        // commit time seen later fills in what the first sighting lacked
        for (const e of chunk) {
          if (e.committedAt === undefined) continue;
          await knex(TABLE)
            .where({ entity_ref: e.entityRef, event_key: e.key })
            .whereNull('committed_at')
            .update({ committed_at: e.committedAt });
        }
      }
    },

    async list(query) {
      if (query.entityRefs.length === 0) return [];
      const rows: Row[] = await knex(TABLE)
        .whereIn('entity_ref', query.entityRefs)
        .andWhere('at', '>=', query.since)
        .modify(q => {
          if (query.environment) q.andWhere('environment', query.environment);
        })
        .orderBy([
          { column: 'at', order: 'asc' },
          { column: 'seq', order: 'asc' },
        ]);
      return rows.map(r => ({
        entityRef: r.entity_ref,
        environment: r.environment,
        kind: r.kind,
        key: r.event_key,
        at: Number(r.at),
        revision: r.revision ?? undefined,
        images: r.images ? (JSON.parse(r.images) as string[]) : undefined,
        committedAt:
          r.committed_at === null ? undefined : Number(r.committed_at),
        source: r.source,
      }));
    },
  };
}
