// @ts-check

/**
 * The audit trail of rollout actions (never deleted by the plugin) and the
 * per-rollout lease that serialises actions across backend replicas.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('delivery_audit_records', table => {
    table.comment(
      'Rollout actions and their outcome; never deleted by the plugin',
    );
    // insertion order, used for newest-first paging
    table.bigIncrements('seq');
    table.string('id', 36).notNullable().unique();
    table.string('created_at', 30).notNullable();
    table.string('updated_at', 30).nullable();
    table.string('actor', 512).notNullable();
    table.string('entity_ref', 512).notNullable();
    table.string('environment', 255).notNullable();
    table.string('instance', 255).nullable();
    table.string('rollout', 255).notNullable();
    table.string('action', 32).notNullable();
    table.text('reason').notNullable();
    table.string('decision', 32).notNullable();
    table
      .text('gates')
      .nullable()
      .comment('JSON: the gate results as evaluated');
    table.integer('upstream_status').nullable();
    table.string('outcome', 32).notNullable();
    table.text('message').nullable();
    table.string('correlation_id', 255).nullable();
    table.string('idempotency_key', 255).nullable();
    table.string('rollout_key', 1024).notNullable();
    table.unique(['entity_ref', 'idempotency_key'], {
      indexName: 'delivery_audit_records_idempotency_uniq',
    });
    table.index(['entity_ref', 'seq'], 'delivery_audit_records_entity_idx');
    table.index(['outcome'], 'delivery_audit_records_outcome_idx');
  });

  await knex.schema.createTable('delivery_rollout_locks', table => {
    table.comment('One row per rollout: a lease held while an action runs');
    table.string('rollout_key', 1024).primary();
    table.string('holder', 255).nullable();
    // epoch milliseconds, so SQLite and PostgreSQL compare the same way
    table.bigInteger('lease_expires_at').notNullable().defaultTo(0);
    table.string('last_action', 1024).nullable();
    table.string('last_action_at', 30).nullable();
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('delivery_rollout_locks');
  await knex.schema.dropTable('delivery_audit_records');
};
