import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Decision, Ruleset } from '../../engine/index.ts';
import { readWebhookFixture } from '../shopify/fixtures/readWebhookFixture.ts';
import { DEFAULT_RULESET, startTestApp, type TestApp } from '../testing/testApp.ts';

const HEAVY_SHOP = 'heavy-shop.myshopify.com';
const OTHER_SHOP = 'other-shop.myshopify.com';
const orderBody = readWebhookFixture('orders_create');

/** 100 × 100 × 100 array elements: a million steps, ten times a decision's budget, whatever the history. */
const HUNDRED = `[${Array.from({ length: 100 }, (_, i) => i).join(',')}]`;
const HEAVY: Ruleset = {
  ...DEFAULT_RULESET,
  customSignals: [{ id: 'custom.cubic', title: 'Cubic', when: `$count(${HUNDRED}.(${HUNDRED}.(${HUNDRED}))) > 0`, weight: 10 }],
};

let app: TestApp;

beforeAll(async () => {
  app = await startTestApp();
});
afterAll(async () => {
  await app?.stop();
});

/** Shopify's sample order under its own order id (same customer). */
function order(i: number): { body: string; id: string } {
  const number = String(910000000000000000n + BigInt(i));
  return { body: orderBody.replaceAll('820982911946154508', number), id: `gid://shopify/Order/${number}` };
}

async function decisionOf(shop: string, orderId: string): Promise<Decision> {
  const row = await app.waitFor(() => app.stores.decisions.bySubject(shop, orderId), `the decision of ${orderId}`);
  return row.trace as Decision;
}

describe('a ruleset that keeps exceeding its expression budget', () => {
  it('is marked over budget, visibly, and its shop scores with its last good version; other shops are untouched', async () => {
    await app.installShop(HEAVY_SHOP); // version 1: the default ruleset, no expressions
    await app.installShop(OTHER_SHOP);
    const draft = await app.stores.rulesets.createDraft(HEAVY_SHOP, HEAVY, 'merchant', 1);
    await app.stores.rulesets.publish(HEAVY_SHOP, draft.version, 'merchant');

    // Five decisions that each use up their budget: the fifth marks version 2.
    for (let i = 0; i < 5; i++) {
      const { body, id } = order(i);
      expect((await app.webhook('orders/create', body, { shop: HEAVY_SHOP })).statusCode).toBe(200);
      const decision = await decisionOf(HEAVY_SHOP, id);
      expect(decision.ruleset.version).toBe(2);
      expect(decision.expressions).toMatchObject({ exhausted: true, limit: 100_000 });
      expect(decision.signals.find((s) => s.id === 'custom.cubic')).toMatchObject({ status: 'error', points: 0, message: expect.stringMatching(/not evaluated: .*budget of 100,000 steps/) });
    }
    const marked = await app.waitFor(async () => (await app.stores.rulesets.get(HEAVY_SHOP, 2))?.over_budget_at && (await app.stores.rulesets.get(HEAVY_SHOP, 2)), 'version 2 marked over budget');
    expect(marked.over_budget_reason).toMatch(/5 of its last 5 decisions used up the per-decision budget of 100,000 expression steps/);
    expect(marked.status).toBe('published'); // the merchant's choice stays; only scoring falls back
    const audit = await app.stores.audit.list(HEAVY_SHOP);
    expect(audit.find((a) => a.action === 'ruleset.over-budget')).toMatchObject({ actor: 'system', subject: '2', details: { scoringWith: 1 } });

    // The admin API says so: the version is over budget, and decisions are made with version 1.
    const listed = await app.server.inject({ url: '/api/rulesets', headers: { authorization: `Bearer ${await app.sessionToken(HEAVY_SHOP)}` } });
    const { versions, scoringWith } = JSON.parse(listed.payload);
    expect(scoringWith).toMatchObject({ version: 1 });
    expect(versions.find((v: { version: number }) => v.version === 2).overBudget).toMatchObject({ reason: expect.stringMatching(/per-decision budget/) });

    // The next order is decided with version 1, its last good version, without the heavy signal.
    const next = order(5);
    await app.webhook('orders/create', next.body, { shop: HEAVY_SHOP });
    const fallback = await decisionOf(HEAVY_SHOP, next.id);
    expect(fallback.ruleset.version).toBe(1);
    expect(fallback.signals.some((s) => s.id === 'custom.cubic')).toBe(false);
    expect(fallback.expressions).toBeUndefined();

    // Another shop's decisions and versions are untouched.
    const other = order(6);
    await app.webhook('orders/create', other.body, { shop: OTHER_SHOP });
    expect((await decisionOf(OTHER_SHOP, other.id)).ruleset.version).toBe(1);
    expect((await app.stores.rulesets.get(OTHER_SHOP, 1))?.over_budget_at ?? null).toBeNull();

    // Publishing a new version starts afresh.
    const fixed = await app.stores.rulesets.createDraft(HEAVY_SHOP, DEFAULT_RULESET, 'merchant', 2);
    await app.stores.rulesets.publish(HEAVY_SHOP, fixed.version, 'merchant');
    const after = order(7);
    await app.webhook('orders/create', after.body, { shop: HEAVY_SHOP });
    expect((await decisionOf(HEAVY_SHOP, after.id)).ruleset.version).toBe(fixed.version);
  });

  it('with no earlier good version, scores with the published version without its custom expressions', async () => {
    const shop = 'heavy-first.myshopify.com';
    await app.installShop(shop, HEAVY); // version 1 is already heavy
    for (let i = 10; i < 15; i++) {
      const { body, id } = order(i);
      await app.webhook('orders/create', body, { shop });
      await decisionOf(shop, id);
    }
    await app.waitFor(async () => (await app.stores.rulesets.get(shop, 1))?.over_budget_at, 'version 1 marked over budget');
    const next = order(15);
    await app.webhook('orders/create', next.body, { shop });
    const decision = await decisionOf(shop, next.id);
    expect(decision.ruleset.version).toBe(1);
    expect(decision.signals.some((s) => s.source === 'custom')).toBe(false);
    expect(decision.signals.length).toBeGreaterThan(0);
  });
});
