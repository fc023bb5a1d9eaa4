import type { Knex } from 'knex';

/**
 * A stored order carries the facts of its checkout records (issue 20): `identity.payment`, the
 * keyed fingerprint of the card that paid (from its stored `transaction` rows: the latest
 * successful authorization or sale with a card, else the latest attempt with one; ties by id, as
 * `paymentIdentityOf` in sdk/transactions.ts), and `shopifyRisk`, Shopify's latest assessment
 * (its `risk` row). So the `identity_uses` triggers, rings, lists and sharing signals see the card.
 *
 * A trigger, not the writers: order bodies are written by the webhook route, the order group
 * commit and the backfill, and an orders/updated body (which never carries these facts) must not
 * wipe them, nor may an order that arrives after its transactions (webhooks come in any order)
 * miss them. It runs before an order row is inserted or updated without them (two probes of the
 * `(shop_id, order_id)` index); the transaction and risk webhooks re-run it by clearing the facts
 * of the stored order.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    create function events_order_checkout_facts() returns trigger language plpgsql as $$
    declare
      card text;
      risk jsonb;
    begin
      if new.body -> 'identity' ->> 'payment' is null then
        select t.body ->> 'cardHash' into card
          from events t
         where t.shop_id = new.shop_id and t.order_id = new.resource_id and t.kind = 'transaction'
           and t.body ->> 'cardHash' is not null and t.body ->> 'kind' in ('authorization', 'sale')
         order by (t.body ->> 'status' = 'success') desc, t.occurred_at desc, t.resource_id collate "C" desc
         limit 1;
        if card is not null then
          new.body := jsonb_set(new.body, '{identity}', coalesce(new.body -> 'identity', '{}'::jsonb) || jsonb_build_object('payment', card));
        end if;
      end if;
      if new.body -> 'shopifyRisk' is null then
        select r.body into risk
          from events r
         where r.shop_id = new.shop_id and r.order_id = new.resource_id and r.kind = 'risk'
         order by r.occurred_at desc, r.id desc
         limit 1;
        if risk is not null then
          new.body := new.body || jsonb_build_object('shopifyRisk', risk - 'id' - 'orderId');
        end if;
      end if;
      return new;
    end $$`);
  await knex.raw(`
    create trigger events_order_checkout_facts before insert or update on events for each row
      when (new.kind = 'order' and (new.body -> 'identity' ->> 'payment' is null or new.body -> 'shopifyRisk' is null))
      execute function events_order_checkout_facts()`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop trigger if exists events_order_checkout_facts on events');
  await knex.raw('drop function if exists events_order_checkout_facts()');
}
