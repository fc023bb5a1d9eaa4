import type { Knex } from 'knex';

/**
 * The first schema: shops, rulesets, normalized events, customers, decisions, actions, audit
 * log, outcomes, webhook deliveries and hashed lists. Every table is keyed by `shop_id` first
 * (tenant isolation, and a Citus distribution key later). Shopify ids are GID strings.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('shops', (t) => {
    t.text('id').primary(); // the myshopify domain
    t.text('access_token');
    t.text('scopes');
    t.text('hash_key').notNullable();
    t.text('status').notNullable().defaultTo('active'); // active | uninstalled | reconnect
    t.jsonb('settings').notNullable().defaultTo('{}');
    t.timestamp('installed_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('uninstalled_at', { useTz: true });
  });

  await knex.schema.createTable('rulesets', (t) => {
    t.bigIncrements('id');
    t.text('shop_id').notNullable().references('shops.id').onDelete('CASCADE');
    t.text('ruleset_id').notNullable();
    t.integer('version').notNullable();
    t.jsonb('body').notNullable();
    t.text('content_hash').notNullable();
    t.text('status').notNullable(); // draft | published | archived
    t.text('created_by').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('published_at', { useTz: true });
    t.unique(['shop_id', 'ruleset_id', 'version']);
  });
  await knex.raw(`create unique index rulesets_one_published on rulesets (shop_id) where status = 'published'`);

  await knex.schema.createTable('events', (t) => {
    t.bigIncrements('id');
    t.text('shop_id').notNullable().references('shops.id').onDelete('CASCADE');
    t.text('kind').notNullable(); // customer | order | fulfillment | return | refund | chargeback
    t.text('resource_id').notNullable();
    t.text('customer_id');
    t.text('order_id');
    t.timestamp('occurred_at', { useTz: true }).notNullable();
    t.jsonb('body').notNullable();
    t.timestamp('received_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.unique(['shop_id', 'kind', 'resource_id']);
    t.index(['shop_id', 'customer_id', 'occurred_at']);
    t.index(['shop_id', 'order_id']);
    t.index(['shop_id', 'kind', 'occurred_at']);
  });

  await knex.schema.createTable('customers', (t) => {
    t.text('shop_id').notNullable().references('shops.id').onDelete('CASCADE');
    t.text('id').notNullable();
    t.jsonb('identity').notNullable().defaultTo('{}');
    t.jsonb('tags').notNullable().defaultTo('[]');
    t.text('manual_override'); // trusted | flagged
    t.timestamp('created_at_shopify', { useTz: true });
    t.text('current_zone');
    t.decimal('last_score', 6, 2);
    t.integer('decisions_count').notNullable().defaultTo(0);
    t.jsonb('aggregates').notNullable().defaultTo('{}');
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.primary(['shop_id', 'id']);
  });

  await knex.schema.createTable('decisions', (t) => {
    t.bigIncrements('id');
    t.text('shop_id').notNullable().references('shops.id').onDelete('CASCADE');
    t.text('subject_kind').notNullable();
    t.text('subject_id').notNullable();
    t.text('order_id');
    t.text('customer_id');
    t.text('ruleset_id').notNullable();
    t.integer('ruleset_version').notNullable();
    t.text('content_hash').notNullable();
    t.decimal('score', 6, 2).notNullable();
    t.text('zone').notNullable();
    t.jsonb('trace').notNullable();
    t.timestamp('decided_at', { useTz: true }).notNullable(); // the subject's time
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.unique(['shop_id', 'subject_kind', 'subject_id']);
    t.index(['shop_id', 'decided_at']);
    t.index(['shop_id', 'zone', 'decided_at']);
    t.index(['shop_id', 'customer_id', 'decided_at']);
  });

  await knex.schema.createTable('actions', (t) => {
    t.bigIncrements('id');
    t.text('shop_id').notNullable().references('shops.id').onDelete('CASCADE');
    t.bigInteger('decision_id').notNullable().references('decisions.id').onDelete('CASCADE');
    t.text('rule_id').notNullable();
    t.text('type').notNullable();
    t.jsonb('spec').notNullable();
    t.text('status').notNullable().defaultTo('pending'); // pending | running | done | skipped | failed | released
    t.integer('attempts').notNullable().defaultTo(0);
    t.jsonb('result');
    t.text('error');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.unique(['decision_id', 'rule_id', 'type']);
    t.index(['shop_id', 'status']);
  });

  await knex.schema.createTable('audit_log', (t) => {
    t.bigIncrements('id');
    t.text('shop_id').notNullable().references('shops.id').onDelete('CASCADE');
    t.text('actor').notNullable();
    t.text('action').notNullable();
    t.text('subject');
    t.jsonb('details').notNullable().defaultTo('{}');
    t.timestamp('at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['shop_id', 'at']);
  });

  await knex.schema.createTable('outcomes', (t) => {
    t.bigIncrements('id');
    t.text('shop_id').notNullable().references('shops.id').onDelete('CASCADE');
    t.text('subject_kind').notNullable();
    t.text('subject_id').notNullable();
    t.text('customer_id');
    t.bigInteger('decision_id').references('decisions.id').onDelete('SET NULL');
    t.text('label').notNullable(); // fraud | legit
    t.text('source').notNullable(); // merchant | chargeback | aging
    t.text('note');
    t.timestamp('labelled_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.unique(['shop_id', 'subject_id', 'source']);
    t.index(['shop_id', 'customer_id']);
  });

  await knex.schema.createTable('webhook_deliveries', (t) => {
    t.text('shop_id').notNullable();
    t.text('webhook_id').notNullable();
    t.text('topic').notNullable();
    t.text('event_id');
    t.text('resource_id');
    t.timestamp('triggered_at', { useTz: true });
    t.timestamp('received_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.text('status').notNullable(); // enqueued | duplicate-effect | stale | ignored
    t.primary(['shop_id', 'webhook_id']);
  });
  await knex.raw(
    `create unique index webhook_deliveries_effect on webhook_deliveries (shop_id, topic, event_id, resource_id) where event_id is not null and resource_id is not null and status = 'enqueued'`,
  );

  await knex.schema.createTable('lists', (t) => {
    t.text('shop_id').notNullable().references('shops.id').onDelete('CASCADE');
    t.text('list').notNullable(); // blocked | allowed
    t.text('kind').notNullable(); // email | phone | address | ip | device | payment
    t.text('hash').notNullable();
    t.text('note');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.primary(['shop_id', 'list', 'kind', 'hash']);
  });
}

export async function down(knex: Knex): Promise<void> {
  for (const table of ['lists', 'webhook_deliveries', 'outcomes', 'audit_log', 'actions', 'decisions', 'customers', 'events', 'rulesets', 'shops']) {
    await knex.schema.dropTableIfExists(table);
  }
}
