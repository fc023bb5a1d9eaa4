import type { Knex } from 'knex';

/**
 * Alerts, continued (issue 23, item 5): the periodic rule kinds and the delivery sweeper.
 * - `alert_rules.threshold`: `chargebacks-week`: alert above this many chargebacks in 7 days;
 *   `sku-return-rate`: the fewest units of a SKU returned in the last 30 days for it to count.
 * - `alert_breaches`: what a periodic rule is currently breached by (one row per rule and subject:
 *   '' for the shop's chargebacks, the SKU for a return rate). A breach alerts when it starts and
 *   not again while it lasts; `checked_at` is the last moment it was seen still breached.
 * - `alert_deliveries.queued_at`: set once the delivery's job is sent (null: recorded, not queued
 *   yet: a crash between the two, which the sweeper re-queues); `lease_until`: an attempt under
 *   way (a second job of the same delivery does not post it twice).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('alert_rules', (t) => {
    t.integer('threshold');
  });
  await knex.schema.createTable('alert_breaches', (t) => {
    t.bigInteger('rule_id').notNullable().references('alert_rules.id').onDelete('CASCADE');
    t.text('shop_id').notNullable().references('shops.id').onDelete('CASCADE');
    t.text('subject').notNullable(); // '' (chargebacks-week) | the SKU (sku-return-rate)
    t.timestamp('since', { useTz: true }).notNullable();
    t.timestamp('checked_at', { useTz: true }).notNullable();
    t.primary(['rule_id', 'subject']);
  });
  await knex.schema.alterTable('alert_deliveries', (t) => {
    t.timestamp('queued_at', { useTz: true });
    t.timestamp('lease_until', { useTz: true });
  });
  // Rows recorded before this migration were queued when they were recorded.
  await knex('alert_deliveries').update({ queued_at: knex.ref('created_at') });
  // The sweeper's one read: recorded, never queued.
  await knex.raw(`create index alert_deliveries_unqueued on alert_deliveries (created_at) where queued_at is null and status = 'pending'`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop index alert_deliveries_unqueued');
  await knex.schema.alterTable('alert_deliveries', (t) => {
    t.dropColumn('queued_at');
    t.dropColumn('lease_until');
  });
  await knex.schema.dropTable('alert_breaches');
  await knex('alert_rules').whereIn('kind', ['chargebacks-week', 'sku-return-rate']).delete();
  await knex.schema.alterTable('alert_rules', (t) => {
    t.dropColumn('threshold');
  });
}
