// @ts-check

/**
 * An attempt that changed nothing (another action held the rollout) frees
 * its idempotency key so that a retry with the same key runs; the key it was
 * sent with stays readable in released_idempotency_key. Added to the archive
 * too, which keeps the same columns as the live table.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  for (const name of [
    'delivery_audit_records',
    'delivery_audit_records_archive',
  ]) {
    await knex.schema.alterTable(name, table => {
      table
        .string('released_idempotency_key', 255)
        .nullable()
        .comment(
          'The idempotency key of an attempt that changed nothing and freed the key for a retry',
        );
    });
  }
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  for (const name of [
    'delivery_audit_records',
    'delivery_audit_records_archive',
  ]) {
    await knex.schema.alterTable(name, table => {
      table.dropColumn('released_idempotency_key');
    });
  }
};
