import type {
  AuditAction,
  AuditPage,
  AuditRecord,
  GateResult,
  RollbackPullRequest,
} from '@gitops-delivery/backstage-plugin-delivery-common';
import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';

const TABLE = 'delivery_audit_records';
const ARCHIVE = 'delivery_audit_records_archive';
const LOCKS = 'delivery_rollout_locks';
// rows per move; ~20 columns each stays far below SQLite's bound-parameter limit
const ARCHIVE_BATCH = 200;

/** A record about to be written; the store adds id and timestamps. @public */
export type NewAuditRecord = Omit<
  AuditRecord,
  'id' | 'createdAt' | 'updatedAt'
> & {
  /** Identifies the rollout across instances, for locking and reconciliation. */
  rolloutKey: string;
};

/** Filters of the audit listing. @public */
export interface AuditFilter {
  entityRef: string;
  environment?: string;
  rollout?: string;
  action?: AuditAction;
  decision?: AuditRecord['decision'];
  outcome?: AuditRecord['outcome'];
  /** ISO time; only records created at or after it. */
  since?: string;
  limit: number;
  /** Opaque cursor from a previous page. */
  cursor?: string;
}

/** How an action ended. @public */
export interface AuditOutcome {
  outcome: AuditRecord['outcome'];
  upstreamStatus?: number;
  message?: string;
  /**
   * Frees the record's idempotency key: the attempt changed nothing (for
   * example another action held the rollout), so a retry with the same key
   * runs again instead of replaying this outcome.
   */
  releaseKey?: boolean;
  /** The pull request a GitOps rollback opened. */
  pullRequest?: RollbackPullRequest;
}

/** A record left `requested` by a crash, now marked `outcome-unknown`. @public */
export interface UnfinishedRecord {
  record: AuditRecord;
  rolloutKey: string;
}

/** Thrown when a record with the same entity and idempotency key exists. @public */
export class DuplicateIdempotencyKeyError extends Error {
  readonly name = 'DuplicateIdempotencyKeyError';
}

/**
 * The audit trail in the plugin's database. Append-and-complete only: the
 * plugin never deletes a record.
 *
 * @public
 */
export interface AuditStore {
  /** Writes a record; throws DuplicateIdempotencyKeyError on a repeated key. */
  insert(record: NewAuditRecord): Promise<AuditRecord>;
  /** Sets the outcome of a record. */
  complete(id: string, outcome: AuditOutcome): Promise<AuditRecord>;
  /** One record by its id. */
  get(id: string): Promise<AuditRecord>;
  findByIdempotencyKey(
    entityRef: string,
    key: string,
  ): Promise<AuditRecord | undefined>;
  list(filter: AuditFilter): Promise<AuditPage>;
  /**
   * Marks records left `requested` as `outcome-unknown`. Records of a rollout
   * whose lease is still held belong to an action in flight on another
   * replica and are left alone.
   */
  markUnfinished(now?: Date): Promise<UnfinishedRecord[]>;
  /** Appends a note to a record's message (used by reconciliation). */
  annotate(id: string, note: string): Promise<void>;
  /** Updates how far a GitOps rollback's pull request has come. */
  setPullRequest(id: string, pullRequest: RollbackPullRequest): Promise<void>;
  /**
   * Moves records created before `cutoff` into the archive table, in
   * batches, each batch copied and removed from the live table inside one
   * transaction, so a record is always in exactly one of the two. Records
   * still `requested` (in flight, or awaiting reconciliation) stay. Returns
   * how many records moved.
   */
  archiveOlderThan(
    cutoff: Date,
    options?: { batchSize?: number; now?: Date },
  ): Promise<number>;
}

interface Row {
  seq: number | string;
  id: string;
  created_at: string;
  updated_at: string | null;
  actor: string;
  entity_ref: string;
  environment: string;
  instance: string | null;
  rollout: string;
  action: string;
  reason: string;
  decision: string;
  gates: string | null;
  upstream_status: number | null;
  outcome: string;
  message: string | null;
  correlation_id: string | null;
  idempotency_key: string | null;
  released_idempotency_key?: string | null;
  pull_request?: string | null;
  rollout_key: string;
}

function toRecord(row: Row): AuditRecord {
  return {
    id: row.id,
    createdAt: row.created_at,
    ...(row.updated_at ? { updatedAt: row.updated_at } : {}),
    actor: row.actor,
    entityRef: row.entity_ref,
    environment: row.environment,
    ...(row.instance ? { instance: row.instance } : {}),
    rollout: row.rollout,
    action: row.action as AuditAction,
    reason: row.reason,
    decision: row.decision as AuditRecord['decision'],
    ...(row.gates ? { gates: JSON.parse(row.gates) as GateResult[] } : {}),
    ...(row.upstream_status !== null && row.upstream_status !== undefined
      ? { upstreamStatus: Number(row.upstream_status) }
      : {}),
    outcome: row.outcome as AuditRecord['outcome'],
    ...(row.message ? { message: row.message } : {}),
    ...(row.correlation_id ? { correlationId: row.correlation_id } : {}),
    ...(row.idempotency_key || row.released_idempotency_key
      ? {
          idempotencyKey: (row.idempotency_key ??
            row.released_idempotency_key) as string,
        }
      : {}),
    ...(row.pull_request
      ? { pullRequest: JSON.parse(row.pull_request) as RollbackPullRequest }
      : {}),
  };
}

function isUniqueViolation(error: unknown): boolean {
  const e = error as { code?: string; message?: string };
  // PostgreSQL unique_violation; SQLite (better-sqlite3) constraint codes
  return (
    e?.code === '23505' ||
    e?.code === 'SQLITE_CONSTRAINT_UNIQUE' ||
    e?.code === 'SQLITE_CONSTRAINT_PRIMARYKEY' ||
    /UNIQUE constraint failed/.test(e?.message ?? '')
  );
}

function isPostgres(knex: Knex): boolean {
  const client = String(knex.client.config.client);
  return client === 'pg' || client.startsWith('postgres');
}

function encodeCursor(seq: number): string {
  return Buffer.from(`seq:${seq}`).toString('base64url');
}

function decodeCursor(cursor: string): number | undefined {
  const match = /^seq:(\d{1,18})$/.exec(
    Buffer.from(cursor, 'base64url').toString(),
  );
  return match ? Number(match[1]) : undefined;
}

/** Creates the database-backed AuditStore. @public */
export function createAuditStore(knex: Knex): AuditStore {
  async function get(id: string): Promise<AuditRecord> {
    const row = await knex<Row>(TABLE).where({ id }).first();
    if (!row) throw new Error(`Audit record ${id} not found`);
    return toRecord(row);
  }

  return {
    async insert(record) {
      const id = randomUUID();
      try {
        await knex(TABLE).insert({
          id,
          created_at: new Date().toISOString(),
          updated_at: null,
          actor: record.actor,
          entity_ref: record.entityRef,
          environment: record.environment,
          instance: record.instance ?? null,
          rollout: record.rollout,
          action: record.action,
          reason: record.reason,
          decision: record.decision,
          gates: record.gates ? JSON.stringify(record.gates) : null,
          upstream_status: record.upstreamStatus ?? null,
          outcome: record.outcome,
          message: record.message ?? null,
          correlation_id: record.correlationId ?? null,
          idempotency_key: record.idempotencyKey ?? null,
          rollout_key: record.rolloutKey,
        });
      } catch (error) {
        if (isUniqueViolation(error)) {
          throw new DuplicateIdempotencyKeyError(
            `An action with idempotency key "${record.idempotencyKey}" was already recorded for ${record.entityRef}`,
          );
        }
        throw error;
      }
      return get(id);
    },

    async complete(id, outcome) {
      await knex(TABLE)
        .where({ id })
        .update({
          outcome: outcome.outcome,
          upstream_status: outcome.upstreamStatus ?? null,
          message: outcome.message ?? null,
          updated_at: new Date().toISOString(),
          ...(outcome.pullRequest
            ? { pull_request: JSON.stringify(outcome.pullRequest) }
            : {}),
          // SET reads the row's values from before the update
          ...(outcome.releaseKey
            ? {
                released_idempotency_key: knex.ref('idempotency_key'),
                idempotency_key: null,
              }
            : {}),
        });
      return get(id);
    },

    get,

    async setPullRequest(id, pullRequest) {
      await knex(TABLE)
        .where({ id })
        .update({ pull_request: JSON.stringify(pullRequest) });
    },

    async findByIdempotencyKey(entityRef, key) {
      const row =
        (await knex<Row>(TABLE)
          .where({ entity_ref: entityRef, idempotency_key: key })
          .first()) ??
        // an archived action still answers its replays
        (await knex<Row>(ARCHIVE)
          .where({ entity_ref: entityRef, idempotency_key: key })
          .first());
      return row ? toRecord(row) : undefined;
    },

    async archiveOlderThan(cutoff, options = {}) {
      const batchSize = options.batchSize ?? ARCHIVE_BATCH;
      const before = cutoff.toISOString();
      let moved = 0;
      for (;;) {
        const count = await knex.transaction(async trx => {
          const select = trx<Row>(TABLE)
            .where('created_at', '<', before)
            .whereNot('outcome', 'requested')
            .orderBy('seq')
            .limit(batchSize);
          // PostgreSQL: lock the batch, skipping rows another run holds;
          // SQLite serialises writing transactions anyway
          if (isPostgres(trx)) select.forUpdate().skipLocked();
          const rows = await select;
          if (rows.length === 0) return 0;
          const archivedAt = (options.now ?? new Date()).toISOString();
          await trx(ARCHIVE).insert(
            rows.map(row => ({ ...row, archived_at: archivedAt })),
          );
          const removed = await trx(TABLE)
            .whereIn(
              'seq',
              rows.map(r => r.seq),
            )
            .delete();
          if (removed !== rows.length) {
            // roll back: the copy and the removal must match exactly
            throw new Error(
              `Audit archive: copied ${rows.length} records but ${removed} left the live table`,
            );
          }
          return rows.length;
        });
        moved += count;
        if (count < batchSize) return moved;
      }
    },

    async list(filter) {
      const query = knex<Row>(TABLE)
        .where('entity_ref', filter.entityRef)
        .orderBy('seq', 'desc')
        .limit(filter.limit + 1);
      if (filter.environment) query.andWhere('environment', filter.environment);
      if (filter.rollout) query.andWhere('rollout', filter.rollout);
      if (filter.action) query.andWhere('action', filter.action);
      if (filter.decision) query.andWhere('decision', filter.decision);
      if (filter.outcome) query.andWhere('outcome', filter.outcome);
      if (filter.since) query.andWhere('created_at', '>=', filter.since);
      if (filter.cursor) {
        const seq = decodeCursor(filter.cursor);
        if (seq === undefined) throw new TypeError('cursor');
        query.andWhere('seq', '<', seq);
      }
      const rows = await query;
      const page = rows.slice(0, filter.limit);
      return {
        items: page.map(toRecord),
        ...(rows.length > filter.limit
          ? { nextCursor: encodeCursor(Number(page[page.length - 1].seq)) }
          : {}),
      };
    },

    async markUnfinished(now = new Date()) {
      const rows = await knex<Row>(TABLE)
        .where('outcome', 'requested')
        .whereNotExists(
          knex(LOCKS)
            .whereRaw(`${LOCKS}.rollout_key = ${TABLE}.rollout_key`)
            .whereNotNull('holder')
            .andWhere('lease_expires_at', '>=', now.getTime()),
        );
      const result: UnfinishedRecord[] = [];
      for (const row of rows) {
        const updated = await knex(TABLE)
          .where({ id: row.id, outcome: 'requested' })
          .update({
            outcome: 'outcome-unknown',
            updated_at: now.toISOString(),
            message:
              'The backend stopped before Argo CD answered; whether the action took effect is unknown',
          });
        // another replica reconciling at the same time may have taken it
        if (updated === 1) {
          result.push({
            record: await get(row.id),
            rolloutKey: row.rollout_key,
          });
        }
      }
      return result;
    },

    async annotate(id, note) {
      const record = await get(id);
      await knex(TABLE)
        .where({ id })
        .update({
          message: record.message ? `${record.message}. ${note}` : note,
          updated_at: new Date().toISOString(),
        });
    },
  };
}
