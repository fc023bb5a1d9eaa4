import type { Knex } from 'knex';

/**
 * Alerts (issue 23, item 5): a shop's alert rules (what to watch, where to send it, the secret the
 * body is signed with) and the delivery log (one row per event and rule: the unique key is what
 * makes one event alert once per rule, whatever retries or replays).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('alert_rules', (t) => {
    t.bigIncrements('id');
    t.text('shop_id').notNullable().references('shops.id').onDelete('CASCADE');
    t.text('kind').notNullable(); // high-order-value | ring-alert
    t.decimal('min_value', 14, 2); // high-order-value only: an order total at or above it
    t.text('url').notNullable(); // the webhook destination (http or https)
    t.text('secret').notNullable(); // HMAC-SHA256 key of the X-RefundSentry-Signature header
    t.boolean('enabled').notNullable().defaultTo(true);
    t.text('created_by').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  // The live path's one read: the shop's enabled rules.
  await knex.raw('create index alert_rules_enabled on alert_rules (shop_id) where enabled');
  await knex.schema.createTable('alert_deliveries', (t) => {
    t.bigIncrements('id');
    t.text('shop_id').notNullable().references('shops.id').onDelete('CASCADE');
    t.bigInteger('rule_id').notNullable().references('alert_rules.id').onDelete('CASCADE');
    t.text('event_key').notNullable(); // order:<gid> | ring-alert:<id>
    t.jsonb('facts').notNullable(); // ids, zone, score, amounts: never raw PII
    t.text('status').notNullable().defaultTo('pending'); // pending | retrying | sent | failed
    t.integer('attempts').notNullable().defaultTo(0);
    t.text('last_error');
    t.integer('response_status');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('last_attempt_at', { useTz: true });
    t.timestamp('sent_at', { useTz: true });
    t.unique(['rule_id', 'event_key']);
    t.index(['shop_id', 'id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('alert_deliveries');
  await knex.schema.dropTable('alert_rules');
}
