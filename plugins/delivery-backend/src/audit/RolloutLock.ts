import type { Knex } from 'knex';

const LOCKS = 'delivery_rollout_locks';

/** A held lease on one rollout. @public */
export interface RolloutLease {
  rolloutKey: string;
  holder: string;
  /** Fingerprint of the last action that succeeded on this rollout. */
  lastAction?: string;
  lastActionAt?: string;
}

/**
 * A per-rollout lock that holds across backend replicas. It is a lease row
 * in the plugin's database, taken with one conditional UPDATE, so it works
 * the same on SQLite and PostgreSQL (where the row lock serialises
 * concurrent takers) and a crashed holder's lease simply expires.
 *
 * @public
 */
export interface RolloutLock {
  /** Takes the lease, or returns undefined when someone else holds it. */
  acquire(
    rolloutKey: string,
    holder: string,
    ttlMs: number,
  ): Promise<RolloutLease | undefined>;
  /** Releases the lease, recording the fingerprint of a successful action. */
  release(lease: RolloutLease, lastAction?: string): Promise<void>;
}

/** Creates the database-backed RolloutLock. @public */
export function createRolloutLock(knex: Knex): RolloutLock {
  return {
    async acquire(rolloutKey, holder, ttlMs) {
      const now = Date.now();
      await knex(LOCKS)
        .insert({ rollout_key: rolloutKey, holder: null, lease_expires_at: 0 })
        .onConflict('rollout_key')
        .ignore();
      const taken = await knex(LOCKS)
        .where('rollout_key', rolloutKey)
        .andWhere(q =>
          q.whereNull('holder').orWhere('lease_expires_at', '<', now),
        )
        .update({ holder, lease_expires_at: now + ttlMs });
      if (taken !== 1) return undefined;
      const row = await knex(LOCKS).where('rollout_key', rolloutKey).first();
      return {
        rolloutKey,
        holder,
        ...(row?.last_action ? { lastAction: row.last_action } : {}),
        ...(row?.last_action_at ? { lastActionAt: row.last_action_at } : {}),
      };
    },

    async release(lease, lastAction) {
      await knex(LOCKS)
        .where({ rollout_key: lease.rolloutKey, holder: lease.holder })
        .update({
          holder: null,
          lease_expires_at: 0,
          ...(lastAction
            ? {
                last_action: lastAction,
                last_action_at: new Date().toISOString(),
              }
            : {}),
        });
    },
  };
}
