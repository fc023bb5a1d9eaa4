import type { Knex } from 'knex';

/**
 * What the order webhooks do not carry about a product and some signals need: its product type
 * and its variants' compare-at prices, fetched from the Admin API once per product and kept here
 * (server/services/ProductCatalog.ts). Catalogue data, not PII.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('product_facts', (t) => {
    t.text('shop_id').notNullable().references('shops.id').onDelete('CASCADE');
    t.text('product_id').notNullable();
    t.text('product_type');
    /** Variant GID → compare-at price (shop currency), for the variants that have one. */
    t.jsonb('compare_at').notNullable().defaultTo('{}');
    t.timestamp('fetched_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.primary(['shop_id', 'product_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('product_facts');
}
