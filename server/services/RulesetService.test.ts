import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import defaultRuleset from '../../rulesets/default.json' with { type: 'json' };
import { compileRuleset, contentHashOf, createRegistry, RulesetValidationError, type Ruleset } from '../../engine/index.ts';
import { eventTime } from '../../engine/history/index.ts';
import { generateShop } from '../../scenarios/generateShop.ts';
import { orderContext } from '../../sdk/testing/index.ts';
import { builtinSignals } from '../../signals/index.ts';
import { createStores, type Stores } from '../store/index.ts';
import { DEFAULT_RULESET } from '../testing/testApp.ts';
import { createTestDatabase, type TestDatabase } from '../testing/testDatabase.ts';
import { previewRuleset } from '../trials/previewRuleset.ts';
import { FitRefused, FitService } from './FitService.ts';
import { LabelService } from './LabelService.ts';
import { RulesetService, type CompileFunction } from './RulesetService.ts';
import { ScoringService, type ScoreRequest } from './ScoringService.ts';
import { SimulationService } from './SimulationService.ts';

const registry = createRegistry(builtinSignals);
const NOW = Date.parse('2026-06-01T00:00:00Z');
let db: TestDatabase;
let stores: Stores;

beforeAll(async () => {
  db = await createTestDatabase();
  stores = createStores(db.knex);
});
afterAll(async () => {
  await db?.drop();
});

/** A RulesetService whose compiles are recorded, by the content hash of what was compiled. */
function counted(): { rulesets: RulesetService; compiles: string[] } {
  const compiles: string[] = [];
  const compile: CompileFunction = (body, reg, options) => {
    compiles.push(contentHashOf(body));
    return compileRuleset(body, reg, options);
  };
  return { rulesets: new RulesetService(stores, registry, { compile }), compiles };
}

/** A generated shop's records stored under `shopId`, with the default ruleset published; its subjects in time order. */
async function storeShop(shopId: string): Promise<ScoreRequest[]> {
  const { events } = generateShop({ seed: 7, customers: 20, days: 60 });
  await stores.shops.install(shopId, '', 'read_orders');
  await stores.rulesets.ensurePublished(shopId, DEFAULT_RULESET);
  await stores.events.upsertAll(shopId, events.filter((e) => e.type !== 'outcome'));
  return [...events]
    .sort((a, b) => Date.parse(eventTime(a)) - Date.parse(eventTime(b)))
    .flatMap((e): ScoreRequest[] => (e.type === 'order' ? [{ shopId, kind: 'order', subjectId: e.order.id }] : []));
}

const withHigh = (body: Ruleset, high: number): Ruleset => ({ ...structuredClone(body), zones: { ...body.zones, high } });

describe('RulesetService: one compiled-version cache keyed by content hash', () => {
  it('compiles a content once across save, publish, live and backfill scoring, shadow, simulation and preview; a new content compiles again', async () => {
    const shop = 'compile-once.myshopify.com';
    const orders = await storeShop(shop);
    expect(orders.length).toBeGreaterThan(10);
    const { rulesets, compiles } = counted();
    const scoring = new ScoringService(stores, registry, { rulesets, now: () => NOW });

    // The merchant edits version 1 and saves it over version 1: compiled once, as stored (version 2).
    const v1 = (await stores.rulesets.published(shop))!;
    const draft = await rulesets.saveDraft(shop, withHigh(v1.body, 60), 'merchant', v1.version);
    expect(draft.version).toBe(2);
    expect(compiles).toEqual([draft.content_hash]);

    // Publish, then live scoring and a backfill's historical pass: no compile.
    await rulesets.publish(shop, draft.version, 'merchant');
    const live = await scoring.score(shop, 'order', orders[0]!.subjectId);
    expect(live.decision.ruleset_version).toBe(2);
    const last = orders.at(-1)!; // left for shadow mode below
    for (const outcome of await scoring.scoreBatch(orders.slice(1, -1), { historical: true })) expect(outcome).not.toBeInstanceOf(Error);
    expect(compiles).toEqual([draft.content_hash]);

    // A preview of the published body, as the preview thread runs it (there with that thread's own instance).
    const preview = await previewRuleset({ stores, rulesets, scoring }, shop, draft.body, 730, { now: NOW });
    expect(preview.events).toBe(orders.length - 1);
    expect(preview.changed).toBe(0);
    expect(compiles).toEqual([draft.content_hash]);

    // A new content (another edit) compiles once more, and only once: save, simulate against live, shadow, publish.
    const next = await rulesets.saveDraft(shop, withHigh(draft.body, 70), 'merchant', draft.version);
    expect(next.content_hash).not.toBe(draft.content_hash);
    expect(compiles).toEqual([draft.content_hash, next.content_hash]);
    const simulations = new SimulationService(stores, rulesets, scoring, async () => {});
    const simulation = await simulations.start(shop, next.version, { from: new Date('2025-01-01T00:00:00Z'), to: new Date(NOW) }, 'merchant');
    await simulations.run(shop, simulation.id);
    expect((await stores.simulations.get(shop, simulation.id))!.status).toBe('done');
    await rulesets.startShadow(shop, next.version, 'merchant');
    expect((await scoring.score(shop, 'order', last.subjectId)).decision.ruleset_version).toBe(2);
    expect((await stores.rulesets.shadowPairs(shop, next.version)).length).toBe(1);
    await rulesets.publish(shop, next.version, 'merchant');
    const rescored = await scoring.rulesetFor(shop);
    expect(rescored.version).toBe(3);
    expect(compiles).toEqual([draft.content_hash, next.content_hash]);
  });

  it('keeps the last good version compiled while the published one is over its expression budget', async () => {
    const shop = 'over-budget.myshopify.com';
    await storeShop(shop);
    const { rulesets, compiles } = counted();
    const scoring = new ScoringService(stores, registry, { rulesets, now: () => NOW });
    const v1 = (await stores.rulesets.published(shop))!;
    const v2 = await rulesets.saveDraft(shop, withHigh(v1.body, 60), 'merchant', v1.version);
    await rulesets.publish(shop, v2.version, 'merchant');
    expect((await scoring.rulesetFor(shop)).version).toBe(2);
    await stores.rulesets.markOverBudget(shop, v2.version, 'a test');
    stores.rulesets.forget(shop);
    expect((await scoring.rulesetFor(shop)).version).toBe(1);
    expect((await scoring.rulesetFor(shop)).version).toBe(1);
    expect(compiles).toEqual([v2.content_hash, v1.content_hash]);
  });

  it('compiles a draft saved without a base version (a fit, accepted suggestions) once, as stored', async () => {
    const shop = 'no-base.myshopify.com';
    await storeShop(shop);
    const { rulesets, compiles } = counted();
    const scoring = new ScoringService(stores, registry, { rulesets, now: () => NOW });
    const fitted = await rulesets.saveDraft(shop, withHigh(DEFAULT_RULESET, 55), 'fit', null, null);
    expect(fitted.version).toBe(2);
    await rulesets.publish(shop, fitted.version, 'merchant');
    expect((await scoring.rulesetFor(shop)).version).toBe(2);
    expect(compiles).toEqual([fitted.content_hash]);
  });

  it('refuses a draft that does not compile, with every problem, and saves nothing', async () => {
    const shop = 'refused.myshopify.com';
    await storeShop(shop);
    const { rulesets } = counted();
    const broken = { ...withHigh(DEFAULT_RULESET, 20), zones: { medium: 70, high: 40 } };
    await expect(rulesets.saveDraft(shop, broken, 'merchant', 1)).rejects.toThrow(RulesetValidationError);
    await expect(rulesets.saveDraft(shop, { ...broken, version: 0 }, 'merchant', 1)).rejects.toThrow(/version/);
    expect((await stores.rulesets.list(shop)).map((r) => r.version)).toEqual([1]);
  });
});

describe('RulesetService.compiledVersion (a version that is or was published)', () => {
  const naming = (extra: Ruleset['signals']): Ruleset => {
    const ruleset = structuredClone(defaultRuleset) as Ruleset;
    Object.assign(ruleset.signals, extra);
    return ruleset;
  };
  const version = (body: Ruleset) => ({ body, content_hash: contentHashOf(body) });

  it('keeps scoring a published version whose plugin signal is gone, the missing signal an error in the trace', () => {
    const ruleset = naming({ 'acme.high-risk-postcode': { weight: 30, params: { areas: [{ country: 'GB', prefix: 'E1' }] } } });
    const rulesets = new RulesetService(stores, registry, { unavailable: (id) => `its plugin is not loaded (${id})` });
    expect(() => rulesets.compiled(ruleset)).toThrow(RulesetValidationError);
    const compiled = rulesets.compiledVersion(version(ruleset));
    const decision = compiled.decide(orderContext());
    expect(decision.signals.find((s) => s.id === 'acme.high-risk-postcode')).toMatchObject({
      status: 'error',
      points: 0,
      message: 'signal acme.high-risk-postcode is not available: its plugin is not loaded (acme.high-risk-postcode)',
    });
    // Everything else decides as the same ruleset without it would.
    const without = compileRuleset(defaultRuleset as Ruleset, registry).decide(orderContext());
    expect(decision.score).toBe(without.score);
    // Compiled once: the same object again; a draft of that content is still refused.
    expect(rulesets.compiledVersion(version(ruleset))).toBe(compiled);
    expect(() => rulesets.compiled(ruleset)).toThrow(RulesetValidationError);
  });

  it('still refuses a version with any other problem', () => {
    const ruleset = naming({ 'acme.high-risk-postcode': { weight: 30 } });
    ruleset.zones = { medium: 70, high: 40 };
    expect(() => new RulesetService(stores, registry).compiledVersion(version(ruleset))).toThrow(/zones/);
  });
});

describe('RulesetService: fits through the lifecycle (its FitService collaborator)', () => {
  /** The service as the main thread builds it: its FitService built over it. */
  function withFits(): RulesetService {
    const labels = new LabelService(stores);
    return new RulesetService(stores, registry, { fits: (rulesets) => new FitService(stores, rulesets, labels, async () => {}) });
  }

  it('refuses a fit with nothing published (409) or too few labels (422, with the counts), and starts nothing', async () => {
    const shop = 'fit-refused.myshopify.com';
    await stores.shops.install(shop, '', 'read_orders');
    const rulesets = withFits();
    await expect(rulesets.startFit(shop, {}, 'merchant')).rejects.toMatchObject({ name: 'FitRefused', status: 409 });
    await stores.rulesets.ensurePublished(shop, DEFAULT_RULESET);
    const refused = await rulesets.startFit(shop, { minLabels: 5 }, 'merchant').catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(FitRefused);
    expect(refused).toMatchObject({ status: 422, counts: { minLabels: 5, fittable: false } });
    expect(await rulesets.fits(shop)).toEqual([]);
  });

  it('lists, gets and cancels a shop\'s fits (audited), refusing an unknown fit (404) and one no longer running (409)', async () => {
    const shop = 'fit-cancel.myshopify.com';
    const other = 'fit-cancel-other.myshopify.com';
    for (const s of [shop, other]) {
      await stores.shops.install(s, '', 'read_orders');
      await stores.rulesets.ensurePublished(s, DEFAULT_RULESET);
    }
    const rulesets = withFits();
    const row = await stores.fits.create({ shop_id: shop, options: {}, as_of: new Date(NOW), against_version: 1, labels: {}, created_by: 'merchant' });
    expect((await rulesets.fits(shop)).map((f) => f.id)).toEqual([row.id]);
    expect(await rulesets.fit(other, row.id)).toBeUndefined();
    await expect(rulesets.cancelFit(other, row.id, 'someone')).rejects.toMatchObject({ status: 404, message: 'No such fit in this shop' });
    expect(await rulesets.cancelFit(shop, row.id, 'merchant')).toMatchObject({ id: row.id, status: 'cancelling' });
    expect((await rulesets.fit(shop, row.id))?.status).toBe('cancelling');
    await expect(rulesets.cancelFit(shop, row.id, 'merchant')).rejects.toMatchObject({ status: 409, message: 'The fit is cancelling; only a running one can be cancelled' });
    const audit = await stores.audit.list(shop);
    expect(audit.filter((a) => a.action === 'ruleset.fit.cancel').map((a) => [a.actor, a.subject, a.details.fit])).toEqual([['merchant', 'v1', row.id]]);
  });

  it('has no fits or suggestions without its collaborators (a trial thread\'s service)', () => {
    const rulesets = new RulesetService(stores, registry);
    expect(() => rulesets.fits('any.myshopify.com')).toThrow(/main thread/);
    expect(() => rulesets.suggestions('any.myshopify.com', 90)).toThrow(/main thread/);
  });
});
