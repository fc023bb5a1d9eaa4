import { describe, expect, it } from 'vitest';
import defaultRuleset from '../../rulesets/default.json' with { type: 'json' };
import { generateShop } from '../../scenarios/generateShop.ts';
import { CONTEXT_NEEDS, type ContextNeed, type OrderRecord, type TransactionRecord } from '../../sdk/index.ts';
import { makeOrder } from '../../sdk/testing/index.ts';
import { builtinSignals } from '../../signals/index.ts';
import { compileRuleset } from '../compileRuleset.ts';
import { createRegistry } from '../registry.ts';
import type { Ruleset } from '../ruleset.ts';
import { contextAt } from './contextAt.ts';
import { HistoryStream } from './HistoryStream.ts';
import { replayHistory, sortEvents, subjectOf } from './replayHistory.ts';
import { ShopHistory, type HistoryEvent } from './ShopHistory.ts';

const later = (order: OrderRecord, ms: number) => new Date(Date.parse(order.createdAt) + ms).toISOString();
let n = 0;
const tx = (order: OrderRecord, ms: number, overrides: Partial<TransactionRecord> = {}): HistoryEvent => ({
  type: 'transaction',
  transaction: { id: `gid://shopify/OrderTransaction/${++n}`, orderId: order.id, createdAt: later(order, ms), kind: 'sale', status: 'success', gateway: 'shopify_payments', amount: 10, cardHash: 'card-1', ...overrides },
});
const MINUTE = 60_000;

const a1 = makeOrder({ id: 'gid://shopify/Order/1', customerId: 'gid://shopify/Customer/1', createdAt: '2026-01-10T10:00:00Z', identity: { email: 'mail-a' } });
const a2 = makeOrder({ id: 'gid://shopify/Order/2', customerId: 'gid://shopify/Customer/1', createdAt: '2026-01-12T10:00:00Z', identity: { email: 'mail-a' } });
const b1 = makeOrder({ id: 'gid://shopify/Order/3', customerId: 'gid://shopify/Customer/2', createdAt: '2026-01-11T10:00:00Z', identity: { email: 'mail-b' } });
const declined = tx(a1, -30_000, { status: 'failure', cardHash: 'card-0' });
const paid = tx(a1, 2 * MINUTE, { avsResultCode: 'N' });
const capture = tx(a1, 3 * 86_400_000, { kind: 'capture' });
const late = tx(a1, 10 * MINUTE, { kind: 'refund', status: 'success' });
const shopEvents: HistoryEvent[] = [{ type: 'order', order: a1 }, declined, paid, late, { type: 'order', order: b1 }, tx(b1, MINUTE), { type: 'order', order: a2 }, capture];

const orderSubject = (history: { orders: { get(id: string): OrderRecord | undefined } }, order: OrderRecord) => {
  const record = history.orders.get(order.id)!;
  return { kind: 'order' as const, id: record.id, at: record.createdAt, order: record };
};

describe('checkout transactions in the history', () => {
  it("an order subject sees its own checkout transactions (made up to 5 minutes after it), not later ones; the paying card is its identity.payment", () => {
    const history = ShopHistory.from(shopEvents);
    const ctx = contextAt(orderSubject(history, a1), history, { shopId: 's' });
    expect(ctx.subject.order.identity).toEqual({ email: 'mail-a', payment: 'card-1' });
    expect(ctx.history.transactions!.map((t) => t.id)).toEqual([declined, paid].map((e) => (e as { transaction: TransactionRecord }).transaction.id));
    // A later order of the customer sees what was created before it (not the capture, three days after the first order).
    const next = contextAt(orderSubject(history, a2), history, { shopId: 's' });
    expect(next.history.transactions!.map((t) => t.createdAt)).toEqual([later(a1, -30_000), later(a1, 2 * MINUTE), later(a1, 10 * MINUTE)]);
    expect(next.history.orders[0]!.identity.payment).toBe('card-1');
  });

  it('a transaction that comes before its order (webhooks come in any order) waits for it', () => {
    const reversed = ShopHistory.from([declined, paid, { type: 'order', order: a1 }]);
    const inOrder = ShopHistory.from([{ type: 'order', order: a1 }, declined, paid]);
    expect(JSON.stringify(contextAt(orderSubject(reversed, a1), reversed, { shopId: 's' }))).toBe(JSON.stringify(contextAt(orderSubject(inOrder, a1), inOrder, { shopId: 's' })));
    expect(reversed.orders.get(a1.id)!.identity.payment).toBe('card-1');
  });

  it("the card links another customer's later order in its ring, from the first order's time", () => {
    const history = ShopHistory.from(shopEvents);
    const ring = contextAt(orderSubject(history, b1), history, { shopId: 's' }).derived.ring as { identifiers: { kind: string; sharedWith: number }[] };
    expect(ring.identifiers).toContainEqual({ kind: 'payment', sharedWith: 1 });
  });

  it('a replay sorts checkout transactions before their order, so its decision sees them', () => {
    const sorted = sortEvents(shopEvents.slice().reverse());
    expect(sorted.slice(0, 3).map((e) => e.type)).toEqual(['transaction', 'transaction', 'order']);
    const compiled = compileRuleset(defaultRuleset as Ruleset, createRegistry(builtinSignals));
    const [first] = [...replayHistory(shopEvents, compiled, { shopId: 's', keepContexts: true })];
    expect(first!.context!.subject.order.identity.payment).toBe('card-1');
    expect(first!.decision.signals.find((s) => s.id === 'order.avs-mismatch')).toMatchObject({ status: 'hit' });
  });

  it('HistoryStream gives the same contexts as contextAt on a shop with transactions and shared cards', () => {
    const { events } = generateShop({ seed: 11, customers: 40, days: 120 });
    let k = 0;
    const extra: HistoryEvent[] = [];
    for (const event of events) {
      if (event.type !== 'order' || k++ % 3 !== 0) continue;
      const card = `card-${k % 7}`;
      if (k % 2 === 0) extra.push(tx(event.order, -20_000, { status: 'failure', cardHash: `card-x${k}` }));
      extra.push(tx(event.order, (k % 9) * MINUTE, { cardHash: card, avsResultCode: k % 4 === 0 ? 'N' : 'Y' }));
      if (k % 5 === 0) extra.push({ type: 'risk', risk: { id: `${event.order.id}#shopify`, orderId: event.order.id, level: 'high', assessedAt: event.order.createdAt } });
    }
    const all = [...events, ...extra];
    const compiled = compileRuleset(defaultRuleset as Ruleset, createRegistry(builtinSignals));
    const replayed = [...replayHistory(all, compiled, { shopId: 's', keepContexts: true })];
    const stream = new HistoryStream();
    const needs = new Set<ContextNeed>(CONTEXT_NEEDS);
    let row = 0;
    let withOwn = 0;
    for (const event of sortEvents(all)) {
      stream.add(event);
      const subject = subjectOf(event, stream);
      if (!subject) continue;
      const { decision, context } = replayed[row++]!;
      const ours = stream.contextOf(subject, needs, { shopId: 's', baseline: context!.baseline });
      expect(JSON.stringify(ours), subject.id).toBe(JSON.stringify(context));
      if (subject.kind === 'order' && ours.history.transactions!.some((t) => t.orderId === subject.id)) withOwn++;
      stream.addDecision(subject.order.customerId, subject.order.id, { subjectId: subject.id, kind: subject.kind, at: subject.at, score: decision.score, zone: decision.zone });
    }
    expect(row).toBe(replayed.length);
    expect(withOwn).toBeGreaterThan(20);
  });
});
