import type { Knex } from 'knex';

/**
 * Shadow mode: a draft ruleset that decides every new live event beside the live version
 * without acting (at most one per shop, `shadow_since` set), and its decisions.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('rulesets', (t) => {
    t.timestamp('shadow_since', { useTz: true });
  });
  await knex.raw('create unique index rulesets_one_shadow_per_shop on rulesets (shop_id) where shadow_since is not null');
  await knex.schema.createTable('shadow_decisions', (t) => {
    t.bigIncrements('id');
    t.text('shop_id').notNullable().references('shops.id').onDelete('CASCADE');
    t.integer('ruleset_version').notNullable();
    t.text('subject_kind').notNullable();
    t.text('subject_id').notNullable();
    t.text('customer_id');
    t.decimal('score', 6, 2).notNullable();
    t.text('zone').notNullable();
    t.jsonb('trace').notNullable();
    t.timestamp('decided_at', { useTz: true }).notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.unique(['shop_id', 'ruleset_version', 'subject_kind', 'subject_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('shadow_decisions');
  await knex.raw('drop index if exists rulesets_one_shadow_per_shop');
  await knex.schema.alterTable('rulesets', (t) => {
    t.dropColumn('shadow_since');
  });
}
