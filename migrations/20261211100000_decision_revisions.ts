import type { Knex } from 'knex';

/**
 * Decision revisions (issue 23): a subject's decision can be revised while it is still actionable.
 * `decisions` keeps one row per subject, the current revision (0 = the first decision), with the
 * trigger of its latest revision; each superseded revision moves to `decision_revisions` with its
 * trace, ruleset version and trigger. Actions are keyed by (decision, revision, rule, type), so a
 * revision replayed never acts twice while a later revision may choose the same action again.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('decisions', (t) => {
    t.integer('revision').notNullable().defaultTo(0);
    t.jsonb('trigger'); // what made the current revision (null for the first decision)
    t.timestamp('known_at', { useTz: true }); // the point in time the current revision saw (null: the subject's own time)
    t.timestamp('revised_at', { useTz: true });
  });
  await knex.schema.createTable('decision_revisions', (t) => {
    t.bigIncrements('id');
    t.text('shop_id').notNullable().references('shops.id').onDelete('CASCADE');
    t.bigInteger('decision_id').notNullable().references('decisions.id').onDelete('CASCADE');
    t.integer('revision').notNullable();
    t.text('ruleset_id').notNullable();
    t.integer('ruleset_version').notNullable();
    t.text('content_hash').notNullable();
    t.decimal('score', 6, 2).notNullable();
    t.text('zone').notNullable();
    t.json('trace').notNullable();
    t.jsonb('trigger');
    t.timestamp('known_at', { useTz: true }).notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable(); // when this revision was made
    t.timestamp('superseded_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.unique(['decision_id', 'revision']);
    t.index(['shop_id', 'decision_id']);
  });
  await knex.schema.alterTable('actions', (t) => {
    t.integer('revision').notNullable().defaultTo(0);
  });
  await knex.schema.alterTable('actions', (t) => {
    t.dropUnique(['decision_id', 'rule_id', 'type']);
    t.unique(['decision_id', 'revision', 'rule_id', 'type']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex('actions').where('revision', '>', 0).delete();
  await knex.schema.alterTable('actions', (t) => {
    t.dropUnique(['decision_id', 'revision', 'rule_id', 'type']);
    t.unique(['decision_id', 'rule_id', 'type']);
    t.dropColumn('revision');
  });
  await knex.schema.dropTable('decision_revisions');
  await knex.schema.alterTable('decisions', (t) => {
    t.dropColumn('revision');
    t.dropColumn('trigger');
    t.dropColumn('known_at');
    t.dropColumn('revised_at');
  });
}
