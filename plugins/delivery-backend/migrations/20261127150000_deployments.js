// @ts-check

/**
 * Deployment history that outlasts Argo CD's own (it keeps about ten
 * entries): every deployment and failure the plugin observes, once.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('delivery_deployment_events', table => {
    table.comment(
      'Deployments and failures observed in Argo CD and the audit trail, for the DORA figures',
    );
    table.bigIncrements('seq');
    table.string('entity_ref', 512).notNullable();
    table.string('environment', 255).notNullable();
    // `deployment`, `abort` or `rollback`
    table.string('kind', 16).notNullable();
    // identifies the event within the entity: recording it again is a no-op
    table.string('event_key', 1024).notNullable();
    // epoch milliseconds, so SQLite and PostgreSQL compare the same way
    table.bigInteger('at').notNullable();
    table.string('revision', 255).nullable();
    table.text('images').nullable().comment('JSON array of image references');
    table.bigInteger('committed_at').nullable();
    // `argocd` or `audit`
    table.string('source', 16).notNullable();
    table.bigInteger('recorded_at').notNullable();
    table.unique(['entity_ref', 'event_key'], {
      indexName: 'delivery_deployment_events_key_uniq',
    });
    table.index(['entity_ref', 'at'], 'delivery_deployment_events_entity_idx');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('delivery_deployment_events');
};
