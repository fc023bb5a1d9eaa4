import type { Knex } from 'knex';

/** Fraud-reduction goals: reduce a metric by a share over a period, against the period before it. */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('goals', (t) => {
    t.bigIncrements('id');
    t.text('shop_id').notNullable().references('shops.id').onDelete('CASCADE');
    t.text('metric').notNullable(); // chargebackAmount | chargebacks | highShare | returnRate | refundValueHigh | doubleDips
    t.decimal('reduce_by_pct', 5, 2).notNullable();
    t.date('starts_on').notNullable();
    t.date('ends_on').notNullable();
    t.text('note');
    t.text('created_by').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['shop_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('goals');
}
