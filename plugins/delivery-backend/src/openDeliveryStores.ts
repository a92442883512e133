import type { DatabaseService } from '@backstage/backend-plugin-api';
import { createAuditStore, type AuditStore } from './audit/AuditStore';
import { migrateDeliveryDatabase } from './audit/migrate';
import { createRolloutLock, type RolloutLock } from './audit/RolloutLock';
import {
  createDeploymentStore,
  type DeploymentStore,
} from './dora/DeploymentStore';

/** The plugin's database stores, one of each, over its migrated tables. */
export interface DeliveryStores {
  /** The audit trail of rollout actions. */
  audit: AuditStore;
  /** The per-rollout lease that serialises actions across replicas. */
  lock: RolloutLock;
  /** The observed deployment history (DORA). */
  deployments: DeploymentStore;
}

/**
 * Brings the plugin's tables up to date (unless the backend skips plugin
 * migrations) and creates its stores, so that nothing that uses a store can
 * run before the tables exist.
 */
export async function openDeliveryStores(
  database: DatabaseService,
): Promise<DeliveryStores> {
  const knex = await database.getClient();
  if (!database.migrations?.skip) {
    await migrateDeliveryDatabase(knex);
  }
  return {
    audit: createAuditStore(knex),
    lock: createRolloutLock(knex),
    deployments: createDeploymentStore(knex),
  };
}
