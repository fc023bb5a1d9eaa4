import type { Knex } from 'knex';

/**
 * Every order that carried each identifier hash, and when: one row per (shop, identifier kind,
 * hash, order) with the order's time and its card hash (`identity.payment`, or null).
 *
 * Scoring an order reads, for each of its identifiers, the orders that carried it in the 24 hours
 * before (the identity facts' velocity: orders per identifier in the last hour and day, and the
 * cards seen with a device). `identity_uses` keeps only each user's first use; here it is one
 * backward range of the primary key per identifier, at most `IDENTITY_RECENT_LIMIT` rows, served
 * from the index alone (the card is an included column), whatever the identifier's popularity.
 *
 * Statement-level triggers on `events` keep it in step with every write path, as for
 * `identity_uses`: inserted orders add their rows; an updated order drops the rows it no longer
 * carries and adds (or re-cards) the others; a deleted order (GDPR redaction, a shop's deletion)
 * takes its rows with it.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    create table identity_orders (
      shop_id text not null references shops (id) on delete cascade,
      kind text not null,
      hash text not null,
      at timestamptz not null,
      order_id text not null,
      card text,
      primary key (shop_id, kind, hash, at, order_id) include (card)
    )`);

  // The rows a set of order rows carry: one per identifier of each order.
  const rowsOf = (rows: string) => `
    select r.shop_id, kv.key as kind, kv.value as hash, r.occurred_at as at, r.resource_id as order_id,
           nullif(r.body -> 'identity' ->> 'payment', '') as card
      from ${rows} r,
           jsonb_each_text(case when jsonb_typeof(r.body -> 'identity') = 'object' then r.body -> 'identity' else '{}'::jsonb end) kv
     where r.kind = 'order' and kv.value is not null and kv.value <> ''`;

  const addNew = `
      insert into identity_orders (shop_id, kind, hash, at, order_id, card)
      ${rowsOf('new_rows')}
      on conflict (shop_id, kind, hash, at, order_id) do update set card = excluded.card
        where identity_orders.card is distinct from excluded.card`;
  // Rows old order rows carried and the new ones (none, for a delete) no longer do: primary-key probes.
  const dropLost = (newRows: string | null) => `
      delete from identity_orders i using (
        select shop_id, kind, hash, at, order_id from (${rowsOf('old_rows')}) o
        ${newRows ? `except select shop_id, kind, hash, at, order_id from (${rowsOf(newRows)}) n` : ''}) l
       where i.shop_id = l.shop_id and i.kind = l.kind and i.hash = l.hash and i.at = l.at and i.order_id = l.order_id`;

  await knex.raw(`
    create function identity_orders_add() returns trigger language plpgsql as $$
    begin
      ${addNew};
      return null;
    end $$`);
  await knex.raw(`
    create function identity_orders_update() returns trigger language plpgsql as $$
    begin
      ${dropLost('new_rows')};
      ${addNew};
      return null;
    end $$`);
  await knex.raw(`
    create function identity_orders_delete() returns trigger language plpgsql as $$
    begin
      ${dropLost(null)};
      return null;
    end $$`);

  await knex.raw(`create trigger events_identity_orders_insert after insert on events referencing new table as new_rows for each statement execute function identity_orders_add()`);
  await knex.raw(`create trigger events_identity_orders_update after update on events referencing old table as old_rows new table as new_rows for each statement execute function identity_orders_update()`);
  await knex.raw(`create trigger events_identity_orders_delete after delete on events referencing old table as old_rows for each statement execute function identity_orders_delete()`);

  // The orders stored so far.
  await knex.raw(`insert into identity_orders (shop_id, kind, hash, at, order_id, card) ${rowsOf('events')} on conflict do nothing`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop trigger if exists events_identity_orders_insert on events');
  await knex.raw('drop trigger if exists events_identity_orders_update on events');
  await knex.raw('drop trigger if exists events_identity_orders_delete on events');
  await knex.raw('drop function if exists identity_orders_add()');
  await knex.raw('drop function if exists identity_orders_update()');
  await knex.raw('drop function if exists identity_orders_delete()');
  await knex.raw('drop table if exists identity_orders');
}
