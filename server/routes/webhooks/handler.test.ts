import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppDeps } from '../../AppDeps.ts';
import { startTestApp, type TestApp } from '../../testing/testApp.ts';
import { writeOnce, type WebhookContext } from './handler.ts';

const SHOP = 'write-once.myshopify.com';
let app: TestApp;

beforeAll(async () => {
  app = await startTestApp();
  await app.installShop(SHOP);
});
afterAll(async () => {
  await app?.stop();
});

function contextFor(webhookId: string): WebhookContext {
  return {
    deps: { stores: app.stores } as AppDeps,
    shopId: SHOP,
    shop: undefined,
    delivery: { shopId: SHOP, webhookId, topic: 'app/uninstalled', eventId: `event-${webhookId}`, resourceId: `gid://shopify/Shop/${webhookId}`, triggeredAt: null },
  };
}

const status = async () => (await app.stores.db('shops').where({ id: SHOP }).first('status')).status as string;
const deliveries = async (webhookId: string) => Number((await app.stores.db('webhook_deliveries').where({ shop_id: SHOP, webhook_id: webhookId }).count({ n: '*' }))[0]!.n);

describe("writeOnce: a topic's writes and the delivery's record, both or nothing", () => {
  it('records nothing when the write fails, so that the retry is handled in full', async () => {
    const failing = writeOnce(contextFor('w-1'), async (trx) => {
      await app.stores.shops.markUninstalled(SHOP, trx);
      throw new Error('the second write failed');
    });
    await expect(failing).rejects.toThrow('the second write failed');
    app.stores.shops.forget(SHOP);
    expect(await status()).toBe('active');
    expect(await deliveries('w-1')).toBe(0);
    // Shopify retries the same delivery: it is new, and this time written whole.
    expect(await writeOnce(contextFor('w-1'), (trx) => app.stores.shops.markUninstalled(SHOP, trx))).toBe('new');
    expect(await status()).toBe('uninstalled');
    expect(await deliveries('w-1')).toBe(1);
  });

  it('runs nothing for a delivery seen before, and says how it was seen', async () => {
    let runs = 0;
    expect(await writeOnce(contextFor('w-1'), async () => void runs++)).toBe('duplicate-delivery');
    expect(runs).toBe(0);
  });
});
