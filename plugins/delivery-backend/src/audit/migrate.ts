import { resolvePackagePath } from '@backstage/backend-plugin-api';
import type { Knex } from 'knex';

const migrationsDir = resolvePackagePath(
  '@gitops-delivery/backstage-plugin-delivery-backend',
  'migrations',
);

/** Brings the plugin's tables up to date. */
export async function migrateDeliveryDatabase(knex: Knex): Promise<void> {
  await knex.migrate.latest({
    directory: migrationsDir,
    tableName: 'delivery__knex_migrations',
    loadExtensions: ['.js'],
  });
}
