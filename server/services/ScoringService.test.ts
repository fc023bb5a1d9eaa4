import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileRuleset, createRegistry, type Ruleset } from '../../engine/index.ts';
import { eventTime, replayHistory, type HistoryEvent } from '../../engine/history/index.ts';
import { makeOrder } from '../../sdk/testing/index.ts';
import { generateShop } from '../../scenarios/generateShop.ts';
import { builtinSignals } from '../../signals/index.ts';
import { createStores, type Stores } from '../store/index.ts';
import { DEFAULT_RULESET } from '../testing/testApp.ts';
import { createTestDatabase, type TestDatabase } from '../testing/testDatabase.ts';
import { revisionActions, ScoringService, SubjectNotReadyError, type ScoreRequest } from './ScoringService.ts';
import type { ActionRow } from '../store/index.ts';
import type { SettledAction } from '../store/DecisionStore.ts';

const NOW = Date.parse('2026-06-01T00:00:00Z');
const registry = createRegistry(builtinSignals);
let db: TestDatabase;
let stores: Stores;

/** A generated shop's records stored under `shopId`, and its orders, returns and refunds in time order. */
async function storeShop(shopId: string, events: readonly HistoryEvent[], ruleset: Ruleset = DEFAULT_RULESET): Promise<ScoreRequest[]> {
  await stores.shops.install(shopId, '', 'read_orders');
  await stores.rulesets.ensurePublished(shopId, ruleset);
  const records = events.filter((e) => e.type !== 'outcome');
  for (let i = 0; i < records.length; i += 500) await stores.events.upsertAll(shopId, records.slice(i, i + 500));
  return [...events]
    .sort((a, b) => Date.parse(eventTime(a)) - Date.parse(eventTime(b)))
    .flatMap((e): ScoreRequest[] => (e.type === 'order' || e.type === 'return' || e.type === 'refund' ? [{ shopId, kind: e.type, subjectId: (e as unknown as Record<string, { id: string }>)[e.type]!.id }] : []));
}

beforeAll(async () => {
  db = await createTestDatabase();
  stores = createStores(db.knex);
});
afterAll(async () => {
  await db?.drop();
});

describe('ScoringService.scoreBatch', () => {
  it('decides every subject exactly as scoring them one at a time in time order does', async () => {
    const { events } = generateShop({ seed: 7, customers: 60, days: 90 });
    const single = await storeShop('one-by-one.myshopify.com', events);
    const batched = await storeShop('batched.myshopify.com', events);
    expect(single.length).toBeGreaterThan(150);
    const oneByOne = new ScoringService(stores, registry, { now: () => NOW });
    for (const request of single) await oneByOne.score(request.shopId, request.kind, request.subjectId);
    const inBatches = new ScoringService(stores, registry, { now: () => NOW });
    for (let i = 0; i < batched.length; i += 37) {
      const outcomes = await inBatches.scoreBatch(batched.slice(i, i + 37));
      for (const outcome of outcomes) expect(outcome).not.toBeInstanceOf(Error);
    }
    const decisions = async (shopId: string) =>
      (await db.knex('decisions').where({ shop_id: shopId }).orderBy(['subject_kind', 'subject_id']).select('subject_kind', 'subject_id', 'score', 'zone', 'trace')).map((d) => ({
        subject: `${d.subject_kind} ${d.subject_id}`,
        score: d.score,
        zone: d.zone,
        signals: d.trace.signals.map((s: { id: string; status: string; points: number }) => `${s.id}:${s.status}:${s.points}`),
      }));
    const expected = await decisions('one-by-one.myshopify.com');
    expect(expected).toHaveLength(single.length);
    expect(await decisions('batched.myshopify.com')).toEqual(expected);
    // Each customer's profile counts each of their decisions once, batched or not.
    const counted = await db.knex('customers').where({ shop_id: 'batched.myshopify.com' }).sum('decisions_count as n').first();
    const withCustomer = await db.knex('decisions').where({ shop_id: 'batched.myshopify.com' }).whereNotNull('customer_id').count('* as n').first();
    expect(Number(counted!.n)).toBe(Number(withCustomer!.n));
  });

  it('a backfill session (whole shop in memory across pages) decides as per-page reads do, and reloads when another process scored in between', async () => {
    const { events } = generateShop({ seed: 8, customers: 50, days: 90 });
    const reference = await storeShop('session-reference.myshopify.com', events);
    const sessioned = await storeShop('session.myshopify.com', events);
    const plain = new ScoringService(stores, registry, { now: () => NOW });
    for (let i = 0; i < reference.length; i += 40) await plain.scoreBatch(reference.slice(i, i + 40), { historical: true });
    // Two "processes" take turns in runs of pages, as pg-boss may hand a backfill's jobs around:
    // each keeps its own in-memory history, which is stale when the other has scored since.
    const processes = [new ScoringService(stores, registry, { now: () => NOW }), new ScoringService(stores, registry, { now: () => NOW })];
    let step = 0;
    for (let i = 0; i < sessioned.length; i += 40, step++) {
      const scorer = processes[Math.floor(step / 3) % 2]!;
      const outcomes = await scorer.scoreBatch(sessioned.slice(i, i + 40), { historical: true, session: { id: 'pass-1', step } });
      for (const outcome of outcomes) expect(outcome).not.toBeInstanceOf(Error);
    }
    const decisions = async (shopId: string) =>
      (await db.knex('decisions').where({ shop_id: shopId }).orderBy(['subject_kind', 'subject_id']).select('subject_kind', 'subject_id', 'score', 'zone'))
        .map((d) => `${d.subject_kind} ${d.subject_id} ${d.score} ${d.zone}`);
    const expected = await decisions('session-reference.myshopify.com');
    expect(expected.length).toBe(reference.length);
    expect(await decisions('session.myshopify.com')).toEqual(expected);
  });

  it('reports per subject: a missing order fails that subject alone; a repeat or a decided subject creates nothing', async () => {
    const { events } = generateShop({ seed: 11, customers: 20, days: 60 });
    const requests = await storeShop('mixed.myshopify.com', events);
    const order = requests.find((r) => r.kind === 'order')!;
    const ret = requests.find((r) => r.kind === 'return')!;
    const scoring = new ScoringService(stores, registry, { now: () => NOW });
    const first = await scoring.scoreBatch([order, order, { shopId: 'mixed.myshopify.com', kind: 'refund', subjectId: 'gid://shopify/Refund/404' }, ret]);
    expect(first[0]).toMatchObject({ created: true });
    expect(first[1]).toBe(first[0]);
    expect(first[2]).toBeInstanceOf(SubjectNotReadyError);
    expect(first[3]).toMatchObject({ created: true, decision: { subject_kind: 'return', subject_id: ret.subjectId } });
    const again = await scoring.scoreBatch([order]);
    expect(again[0]).toMatchObject({ created: false, decision: { id: (first[0] as { decision: { id: string } }).decision.id } });
    expect(await db.knex('decisions').where({ shop_id: 'mixed.myshopify.com' }).count('* as n').first()).toEqual({ n: '2' });
  });

  it('gives live scoring the same identity facts as a replay of the same history: shared devices, cards and bursts', async () => {
    const { events: generated } = generateShop({ seed: 9, customers: 40, days: 40 });
    const firstOrder = generated.find((e) => e.type === 'order')!;
    const start = Date.parse(eventTime(firstOrder));
    const at = (minutes: number) => new Date(start + 5 * 86_400_000 + minutes * 60_000).toISOString();
    // Card testing: nine fresh accounts on one device and IP in an hour, cards reused across them; then a guest with one of their cards.
    const burst: HistoryEvent[] = [];
    for (let i = 0; i < 9; i++) {
      const customerId = `gid://shopify/Customer/${8_000 + i}`;
      burst.push({ type: 'customer', customer: { id: customerId, createdAt: at(i * 6 - 0.05), tags: [], identity: {} } });
      burst.push({ type: 'order', order: makeOrder({ id: `gid://shopify/Order/${80_000 + i}`, customerId, createdAt: at(i * 6), identity: { device: 'one-device', ip: 'one-ip', payment: `card-${i % 4}`, email: `burst-${i}` } }) });
    }
    burst.push({ type: 'order', order: makeOrder({ id: 'gid://shopify/Order/80100', customerId: null, createdAt: at(70), identity: { payment: 'card-1', email: 'a-guest' } }) });
    const events = [...generated, ...burst];
    const requests = await storeShop('identity-live.myshopify.com', events);
    const scoring = new ScoringService(stores, registry, { now: () => NOW });
    for (let i = 0; i < requests.length; i += 23) for (const outcome of await scoring.scoreBatch(requests.slice(i, i + 23))) expect(outcome).not.toBeInstanceOf(Error);
    const IDENTITY = ['customer.new-account', 'order.shared-identifier', 'order.identifier-velocity', 'customer.card-churn', 'order.guest-shares-account', 'customer.fraud-ring'];
    const stored = new Map(
      (await db.knex('decisions').where({ shop_id: 'identity-live.myshopify.com', subject_kind: 'order' }).select('subject_id', 'trace')).map((d) => [
        d.subject_id as string,
        (d.trace.signals as { id: string; status: string; strength: number; evidence: unknown }[]).filter((t) => IDENTITY.includes(t.id)).map((t) => ({ id: t.id, status: t.status, strength: t.strength, evidence: t.evidence })),
      ]),
    );
    const baseline = await scoring.baselineFor('identity-live.myshopify.com');
    const compiled = compileRuleset(DEFAULT_RULESET, registry);
    let compared = 0;
    const fired = new Set<string>();
    for (const { decision } of replayHistory(events, compiled, { shopId: 'identity-live.myshopify.com', baselineEveryDays: 0, baseline })) {
      if (decision.subject.kind !== 'order') continue;
      const replayed = decision.signals.filter((t) => IDENTITY.includes(t.id)).map((t) => ({ id: t.id, status: t.status, strength: t.strength, evidence: t.evidence }));
      expect(stored.get(decision.subject.id), decision.subject.id).toEqual(replayed);
      for (const t of replayed) if (t.status === 'hit') fired.add(t.id);
      compared++;
    }
    expect(compared).toBe(stored.size);
    // The facts compared were not all quiet: each identity signal fired somewhere.
    expect([...fired].sort()).toEqual([...IDENTITY].sort());
  });
});

describe('revisionActions: what a revision does, from the zone before and after', () => {
  const settled = (type: SettledAction['action']['type']): SettledAction => ({ action: { ruleId: 'r', type } as SettledAction['action'], status: 'pending' });
  const high = [settled('fulfillment.hold'), settled('risk.assessment'), settled('flow.trigger'), settled('customer.tag')];
  const done = (id: string, type: string): ActionRow => ({ id, shop_id: 's', decision_id: '1', revision: 0, rule_id: 'r', type, spec: { ruleId: 'r', type } as never, status: 'done', attempts: 1, result: null, error: null, created_at: new Date(0), updated_at: new Date(0) });

  it('a raise runs every action of the new zone', () => {
    expect(revisionActions('low', 'high', high, []).map((a) => a.action.type)).toEqual(['fulfillment.hold', 'risk.assessment', 'flow.trigger', 'customer.tag']);
  });

  it('the same zone does nothing', () => {
    expect(revisionActions('high', 'high', high, [done('9', 'fulfillment.hold')])).toEqual([]);
  });

  it('a fall updates the tag, writes a new risk assessment where one was written, and proposes (never runs) releasing the hold the app placed', () => {
    const out = revisionActions('high', 'low', [settled('customer.tag')], [done('7', 'fulfillment.hold'), done('8', 'risk.assessment')]);
    expect(out.map((a) => [a.action.type, a.status])).toEqual([
      ['customer.tag', 'pending'],
      ['risk.assessment', 'pending'],
      ['fulfillment.release', 'proposed'],
    ]);
    expect(out[2]!.result).toMatchObject({ holdActionId: '7' });
  });

  it('a fall with no hold placed and no assessment written only updates the tag', () => {
    expect(revisionActions('medium', 'low', [settled('customer.tag'), settled('review.queue')], []).map((a) => a.action.type)).toEqual(['customer.tag']);
  });
});
