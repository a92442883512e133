// @ts-check

/**
 * Where the audit retention task moves old audit records: the same columns
 * as delivery_audit_records (seq and id kept), plus when they were moved.
 * Never deleted by the plugin.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('delivery_audit_records_archive', table => {
    table.comment(
      'Audit records moved out of delivery_audit_records by the retention task; never deleted by the plugin',
    );
    // the seq the record had in delivery_audit_records
    table.bigInteger('seq').primary();
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
    table.string('archived_at', 30).notNullable();
    table.index(
      ['entity_ref', 'idempotency_key'],
      'delivery_audit_records_archive_idempotency_idx',
    );
    table.index(
      ['entity_ref', 'seq'],
      'delivery_audit_records_archive_entity_idx',
    );
  });
  // the retention task selects by age
  await knex.schema.alterTable('delivery_audit_records', table => {
    table.index(['created_at'], 'delivery_audit_records_created_idx');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable('delivery_audit_records', table => {
    table.dropIndex(['created_at'], 'delivery_audit_records_created_idx');
  });
  await knex.schema.dropTable('delivery_audit_records_archive');
};
