import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contentHashOf, type Ruleset } from '../../engine/index.ts';
import { DEFAULT_RULESET } from '../testing/testApp.ts';
import { createTestDatabase, type TestDatabase } from '../testing/testDatabase.ts';
import { createStores, type Stores } from './index.ts';
import { RulesetConflictError } from './RulesetStore.ts';

// One database for the file; two shops with their own version histories.
let db: TestDatabase;
let stores: Stores;
const A = 'rulesets-a.myshopify.com';
const B = 'rulesets-b.myshopify.com';

const withWeight = (weight: number): Ruleset => ({ ...DEFAULT_RULESET, signals: { ...DEFAULT_RULESET.signals, 'velocity.return-rate': { weight } } });

beforeAll(async () => {
  db = await createTestDatabase();
  stores = createStores(db.knex);
  for (const shop of [A, B]) await stores.shops.install(shop, 'shpat_test', 'read_orders');
});
afterAll(async () => {
  await db?.drop();
});

async function refusal(change: Promise<unknown>): Promise<{ message: string; latestVersion: number }> {
  const error = await change.then(() => undefined, (caught: unknown) => caught);
  expect(error).toBeInstanceOf(RulesetConflictError);
  return { message: (error as RulesetConflictError).message, latestVersion: (error as RulesetConflictError).latestVersion };
}

describe('RulesetStore', () => {
  it('installs version 1 once per shop, with the content hash of the stored body', async () => {
    const a = await stores.rulesets.ensurePublished(A, DEFAULT_RULESET);
    const again = await stores.rulesets.ensurePublished(A, withWeight(99));
    const b = await stores.rulesets.ensurePublished(B, withWeight(3));
    expect(again.id).toBe(a.id);
    expect(a).toMatchObject({ version: 1, status: 'published', created_by: 'system' });
    expect(a.content_hash).toBe(contentHashOf({ ...DEFAULT_RULESET, version: 1 }));
    expect(b).toMatchObject({ version: 1, status: 'published' });
    expect((await stores.rulesets.publishedCached(B))!.body.signals['velocity.return-rate']).toEqual({ weight: 3 });
  });

  it('numbers drafts per shop and refuses one started from a version that is no longer the latest', async () => {
    const draft = await stores.rulesets.createDraft(A, withWeight(20), 'staff@a', 1);
    expect(draft).toMatchObject({ version: 2, status: 'draft', published_at: null });
    expect((await refusal(stores.rulesets.createDraft(A, withWeight(21), 'staff@a', 1))).latestVersion).toBe(2);
    // A draft of B numbers after B's own versions.
    expect((await stores.rulesets.createDraft(B, withWeight(4), 'staff@b', 1)).version).toBe(2);
    expect((await stores.rulesets.createDraft(A, withWeight(30), 'staff@a', null)).version).toBe(3);
    expect((await stores.rulesets.list(A)).map((row) => row.version)).toEqual([3, 2, 1]);
    expect(await stores.rulesets.get(B, 3)).toBeUndefined();
  });

  it('publishes a draft (the live one archived, audited, the cache forgotten) and refuses anything else', async () => {
    expect((await stores.rulesets.publishedCached(A))!.version).toBe(1);
    await stores.rulesets.publish(A, 2, 'staff@a');
    expect((await stores.rulesets.publishedCached(A))!.version).toBe(2);
    expect((await stores.rulesets.list(A)).map((row) => [row.version, row.status])).toEqual([[3, 'draft'], [2, 'published'], [1, 'archived']]);
    expect((await refusal(stores.rulesets.publish(A, 1, 'staff@a'))).message).toMatch(/version 1 is archived/);
    expect((await refusal(stores.rulesets.publish(A, 9, 'staff@a'))).message).toMatch(/does not exist/);
    // B's draft 2 is not A's to publish: A has a version 2, already published.
    expect((await refusal(stores.rulesets.publish(A, 2, 'staff@b'))).message).toMatch(/version 2 is published/);
    expect((await stores.rulesets.published(B))!.version).toBe(1);
    expect((await stores.audit.list(A)).map((line) => [line.action, line.subject])).toEqual([['ruleset.publish', 'v2']]);
    expect(await stores.audit.list(B)).toEqual([]);
  });

  it('rolls back by publishing an old body as a new version', async () => {
    const row = await stores.rulesets.rollback(A, 1, 'staff@a');
    expect(row).toMatchObject({ version: 4, status: 'published' });
    expect(row.body).toEqual({ ...DEFAULT_RULESET, version: 4 });
    expect((await stores.rulesets.list(A)).map((row) => [row.version, row.status])).toEqual([[4, 'published'], [3, 'draft'], [2, 'archived'], [1, 'archived']]);
    expect((await stores.rulesets.publishedCached(A))!.version).toBe(4);
    expect((await refusal(stores.rulesets.rollback(B, 4, 'staff@b'))).latestVersion).toBe(2);
  });

  it('runs one draft of the shop in shadow, and stores its decisions once per subject', async () => {
    expect(await stores.rulesets.shadowCached(A)).toBeUndefined();
    expect((await stores.rulesets.setShadow(A, 3))!.version).toBe(3);
    expect((await stores.rulesets.shadowCached(A))!.version).toBe(3);
    expect((await refusal(stores.rulesets.setShadow(A, 4))).message).toMatch(/only a draft runs in shadow/);
    // A refused change keeps the shadow that ran (stopping it was part of the transaction that rolled back).
    expect((await stores.rulesets.shadow(A))!.version).toBe(3);
    expect(await stores.rulesets.shadow(B)).toBeUndefined();
    const shadowRow = (shop: string, subject: string, score: number) => ({ shop_id: shop, ruleset_version: 3, subject_kind: 'order', subject_id: subject, customer_id: null, score, zone: 'low', trace: { score }, decided_at: '2026-11-01T00:00:00Z' });
    await stores.rulesets.insertShadowDecisions([shadowRow(A, 'gid://shopify/Order/1', 1), shadowRow(A, 'gid://shopify/Order/1', 2), shadowRow(B, 'gid://shopify/Order/1', 3)]);
    expect((await db.knex('shadow_decisions').where({ shop_id: A }).pluck('score')).map(Number)).toEqual([1]);
    // Pairs only where the shop has a live decision of the subject.
    expect(await stores.rulesets.shadowPairs(A, 3)).toEqual([]);
    await stores.decisions.insertManyWithEffects([{ shopId: B, decision: { subject: { kind: 'order', id: 'gid://shopify/Order/1', at: '2026-11-01T00:00:00Z' }, ruleset: { id: 'default', version: 1, contentHash: 'h' }, score: 7, zone: 'low' } as never, orderId: 'gid://shopify/Order/1', customerId: null, actions: [] }]);
    expect(await stores.rulesets.shadowPairs(A, 3)).toEqual([]);
    expect((await stores.rulesets.shadowPairs(B, 3)).map((pair) => [(pair.live as { score: number }).score, (pair.shadow as { score: number }).score])).toEqual([[7, 3]]);
    await stores.rulesets.setShadow(A, null);
    expect(await stores.rulesets.shadowCached(A)).toBeUndefined();
  });

  it('marks a version over budget once; the last good version is the latest published before it that is not', async () => {
    expect(await stores.rulesets.markOverBudget(A, 4, 'custom.big-refund used up its steps')).toBe(true);
    expect(await stores.rulesets.markOverBudget(A, 4, 'again')).toBe(false);
    expect((await stores.rulesets.get(A, 4))!.over_budget_reason).toBe('custom.big-refund used up its steps');
    expect((await stores.rulesets.lastGoodCached(A, 4))!.version).toBe(2);
    await stores.rulesets.markOverBudget(A, 2, 'too');
    expect((await stores.rulesets.lastGoodCached(A, 4))!.version).toBe(1);
    expect((await stores.rulesets.lastGoodCached(A, 2))!.version).toBe(1);
    expect(await stores.rulesets.lastGoodCached(A, 1)).toBeUndefined();
    expect((await stores.rulesets.get(B, 1))!.over_budget_at).toBeNull();
  });
});
