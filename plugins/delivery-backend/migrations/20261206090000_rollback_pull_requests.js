// @ts-check

/**
 * A GitOps rollback (an Application with auto-sync on) opens a pull request
 * on the manifest repository instead of calling Argo CD: its record keeps
 * the pull request (JSON: repository, number, URL, branch, base, the
 * restored revision), so the tab can track it until the sync lands. Added
 * to the archive too, which keeps the same columns as the live table.
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
        .text('pull_request')
        .nullable()
        .comment('JSON: the pull request a GitOps rollback opened');
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
      table.dropColumn('pull_request');
    });
  }
};
