import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChosenAction, Decision } from '../../engine/index.ts';
import { createTestDatabase, type TestDatabase } from '../testing/testDatabase.ts';
import type { ActionRow } from './ActionStore.ts';
import { createStores, type Stores } from './index.ts';

// One database for the file; two shops, each with a decision whose actions the other must not touch.
let db: TestDatabase;
let stores: Stores;
const A = 'actions-a.myshopify.com';
const B = 'actions-b.myshopify.com';
const actionsOf: Record<string, ActionRow[]> = {};

const hold = { ruleId: 'hold-high-risk-orders', type: 'fulfillment.hold' } as ChosenAction;
const tag = { ruleId: 'tag-customer-by-zone', type: 'customer.tag' } as ChosenAction;

beforeAll(async () => {
  db = await createTestDatabase();
  stores = createStores(db.knex);
  for (const shopId of [A, B]) {
    await stores.shops.install(shopId, 'shpat_test', 'read_orders');
    const decision = {
      schema: 'refundsentry.decision/1',
      shopId,
      subject: { kind: 'order', id: 'gid://shopify/Order/1', at: '2026-11-01T10:00:00Z' },
      ruleset: { id: 'default', version: 1, contentHash: 'hash' },
      score: 90,
      zone: 'high',
    } as Decision;
    const [written] = await stores.decisions.insertManyWithEffects([
      { shopId, decision, orderId: 'gid://shopify/Order/1', customerId: null, actions: [{ action: hold, status: 'pending' }, { action: tag, status: 'pending' }, { action: hold, status: 'pending' }] },
    ]);
    actionsOf[shopId] = written!.actions;
  }
});
afterAll(async () => {
  await db?.drop();
});

const row = (id: string) => db.knex<ActionRow>('actions').where({ id }).first();

describe('ActionStore', () => {
  it('writes one action per rule and type of a decision', () => {
    expect(actionsOf[A]!.map((action) => action.type)).toEqual(['fulfillment.hold', 'customer.tag']);
  });

  it('claims, finishes and requeues an action only in its own shop', async () => {
    const [holdA] = actionsOf[A]!;
    expect(await stores.actions.claim(B, holdA!.id)).toBeUndefined();
    await stores.actions.finish(B, holdA!.id, 'done', { by: 'B' });
    await stores.actions.requeue(B, holdA!.id, 'from B');
    expect(await row(holdA!.id)).toMatchObject({ status: 'pending', attempts: 0, result: null, error: null });
    expect(await stores.actions.get(B, holdA!.id)).toBeUndefined();

    expect(await stores.actions.claim(A, holdA!.id)).toMatchObject({ status: 'running', attempts: 1 });
    await stores.actions.requeue(A, holdA!.id, 'attempt 1: throttled');
    expect(await row(holdA!.id)).toMatchObject({ status: 'pending', error: 'attempt 1: throttled' });
    expect(await stores.actions.claim(A, holdA!.id)).toMatchObject({ status: 'running', attempts: 2 });
    await stores.actions.finish(A, holdA!.id, 'done', { holds: [{ fulfillmentOrderId: 'gid://shopify/FulfillmentOrder/1', holdId: 'h1' }] });
    // A finished action is never claimed again.
    expect(await stores.actions.claim(A, holdA!.id)).toBeUndefined();
    expect((await stores.actions.heldOrders(A)).map((action) => [action.id, action.order_id])).toEqual([[holdA!.id, 'gid://shopify/Order/1']]);
    expect(await stores.actions.heldOrders(B)).toEqual([]);
  });

  it('finds actions left pending for more than a minute, in every shop', async () => {
    expect(await stores.actions.stalePending()).toEqual([]);
    const [, tagA] = actionsOf[A]!;
    const [holdB] = actionsOf[B]!;
    await db.knex('actions').whereIn('id', [tagA!.id, holdB!.id]).update({ created_at: db.knex.raw(`now() - interval '2 minutes'`) });
    expect((await stores.actions.stalePending()).map((action) => [action.shop_id, action.id]).sort()).toEqual([
      [A, tagA!.id],
      [B, holdB!.id],
    ]);
    await stores.actions.claim(B, holdB!.id);
    expect((await stores.actions.stalePending()).map((action) => action.id)).toEqual([tagA!.id]);
  });
});
