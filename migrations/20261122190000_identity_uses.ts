import type { Knex } from 'knex';

/**
 * Who used each identifier hash, and since when: one row per (shop, identifier kind, hash, user),
 * the user being `customer:<id>` or, for a guest order, `guest:<order id>` (as `ShopHistory`
 * keys its ledgers), with the time of the user's first order carrying it.
 *
 * Scoring needs, for each identifier of a customer's orders, the earliest few users of it (enough
 * to tell a hub, `RING_LIST_LIMIT + 2`). Read from the orders themselves (the GIN index on their
 * identities) that costs a row per order that ever carried the identifier: a warehouse address
 * or a shared email made every context read thousands of orders. Here it is one short range of
 * the `identity_uses_earliest` index, whatever the identifier's popularity.
 *
 * It replaces the GIN index on order identities (`events_order_identity`), which only that read
 * used and every order insert paid for.
 *
 * Statement-level triggers on `events` keep the table in step with every write path (webhooks,
 * their group commit, backfills, GDPR redaction, a shop's deletion): inserted and updated orders
 * add their uses (an earlier first use wins); a deleted order, or an updated one that no longer
 * carries an identifier under the same user, has that user's use recomputed from the orders left.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    create table identity_uses (
      shop_id text not null references shops (id) on delete cascade,
      kind text not null,
      hash text not null,
      user_key text not null,
      first_use timestamptz not null,
      primary key (shop_id, kind, hash, user_key)
    )`);
  await knex.raw(`create index identity_uses_earliest on identity_uses (shop_id, kind, hash, first_use, user_key)`);
  // A batch's own identifiers (its customers' and guest orders' uses), without reading their orders.
  await knex.raw(`create index identity_uses_by_user on identity_uses (shop_id, user_key)`);

  // The uses carried by a set of order rows, one per (shop, kind, hash, user) with its earliest time.
  const usesOf = (rows: string) => `
    select r.shop_id, kv.key as kind, kv.value as hash,
           case when r.customer_id is null then 'guest:' || r.resource_id else 'customer:' || r.customer_id end as user_key,
           min(r.occurred_at) as first_use
      from ${rows} r,
           jsonb_each_text(case when jsonb_typeof(r.body -> 'identity') = 'object' then r.body -> 'identity' else '{}'::jsonb end) kv
     where r.kind = 'order' and kv.value is not null and kv.value <> ''
     group by 1, 2, 3, 4`;

  // The uses the new rows carry, added (an earlier first use wins).
  const addNewUses = `
      insert into identity_uses (shop_id, kind, hash, user_key, first_use)
      ${usesOf('new_rows')}
      on conflict (shop_id, kind, hash, user_key) do update set first_use = excluded.first_use
        where excluded.first_use < identity_uses.first_use`;

  await knex.raw(`
    create function identity_uses_add() returns trigger language plpgsql as $$
    begin
      ${addNewUses};
      return null;
    end $$`);

  // Uses that old rows carried and the new rows (none, for a delete) no longer do, as a set.
  const lost = (newRows: string | null) => `
      select shop_id, kind, hash, user_key from (${usesOf('old_rows')}) o
      ${newRows ? `except select shop_id, kind, hash, user_key from (${usesOf(newRows)}) n` : ''}`;
  // ...are removed, then recomputed from the user's remaining orders (a customer's through their
  // index, a guest's by its own key); one with no order left carrying the identifier stays gone.
  const recompute = (newRows: string | null) => `
      delete from identity_uses u using (${lost(newRows)}) l
       where u.shop_id = l.shop_id and u.kind = l.kind and u.hash = l.hash and u.user_key = l.user_key;
      insert into identity_uses (shop_id, kind, hash, user_key, first_use)
      select l.shop_id, l.kind, l.hash, l.user_key, remaining.first_use
        from (${lost(newRows)}) l
        cross join lateral (
          select min(x.occurred_at) as first_use from (
            select e.occurred_at from events e
             where l.user_key like 'customer:%' and e.shop_id = l.shop_id and e.customer_id = substr(l.user_key, 10)
               and e.kind = 'order' and e.body -> 'identity' ->> l.kind = l.hash
            union all
            select e.occurred_at from events e
             where l.user_key like 'guest:%' and e.shop_id = l.shop_id and e.kind = 'order' and e.resource_id = substr(l.user_key, 7)
               and e.customer_id is null and e.body -> 'identity' ->> l.kind = l.hash) x
        ) remaining
       where remaining.first_use is not null`;

  await knex.raw(`
    create function identity_uses_update() returns trigger language plpgsql as $$
    begin
      ${recompute('new_rows')};
      ${addNewUses};
      return null;
    end $$`);

  await knex.raw(`
    create function identity_uses_delete() returns trigger language plpgsql as $$
    begin
      ${recompute(null)};
      return null;
    end $$`);

  await knex.raw(`create trigger events_identity_uses_insert after insert on events referencing new table as new_rows for each statement execute function identity_uses_add()`);
  await knex.raw(`create trigger events_identity_uses_update after update on events referencing old table as old_rows new table as new_rows for each statement execute function identity_uses_update()`);
  await knex.raw(`create trigger events_identity_uses_delete after delete on events referencing old table as old_rows for each statement execute function identity_uses_delete()`);

  // The uses of the orders stored so far.
  await knex.raw(`insert into identity_uses (shop_id, kind, hash, user_key, first_use) ${usesOf('events')}`);
  await knex.raw('drop index if exists events_order_identity');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop trigger if exists events_identity_uses_insert on events');
  await knex.raw('drop trigger if exists events_identity_uses_update on events');
  await knex.raw('drop trigger if exists events_identity_uses_delete on events');
  await knex.raw('drop function if exists identity_uses_add()');
  await knex.raw('drop function if exists identity_uses_update()');
  await knex.raw('drop function if exists identity_uses_delete()');
  await knex.raw('drop table if exists identity_uses');
  await knex.raw(`create index if not exists events_order_identity on events using gin ((body -> 'identity') jsonb_path_ops) where kind = 'order'`);
}
