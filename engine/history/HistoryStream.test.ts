import { describe, expect, it } from 'vitest';
import defaultRuleset from '../../rulesets/default.json' with { type: 'json' };
import { generateShop } from '../../scenarios/generateShop.ts';
import { CONTEXT_NEEDS, type ContextNeed } from '../../sdk/index.ts';
import { makeOrder, makeRefund, makeReturn } from '../../sdk/testing/index.ts';
import { builtinSignals } from '../../signals/index.ts';
import { compileRuleset } from '../compileRuleset.ts';
import { createRegistry } from '../registry.ts';
import type { Ruleset } from '../ruleset.ts';
import { HistoryStream } from './HistoryStream.ts';
import { replayHistory, sortEvents, subjectOf } from './replayHistory.ts';
import type { HistoryEvent } from './ShopHistory.ts';

const live = compileRuleset(defaultRuleset as Ruleset, createRegistry(builtinSignals));
const ALL = new Set<ContextNeed>(CONTEXT_NEEDS);

/** A generated shop, plus merchant labels, a guest order with a return, and a refund arriving before its order is known. */
function shopEvents(seed: number): HistoryEvent[] {
  const { events } = generateShop({ seed, customers: 60, days: 160 });
  const refunds = events.filter((e): e is Extract<HistoryEvent, { type: 'refund' }> => e.type === 'refund');
  const guest = makeOrder({ id: 'gid://shopify/Order/900001', customerId: null, createdAt: '2025-02-01T00:00:00Z' });
  const guestReturn = makeReturn(guest, { id: 'gid://shopify/Return/900001', customerId: null, createdAt: '2025-02-05T00:00:00Z', closedAt: '2025-03-01T00:00:00Z' });
  const orphan = makeRefund(makeOrder({ id: 'gid://shopify/Order/900002' }), { id: 'gid://shopify/Refund/900002', createdAt: '2025-02-06T00:00:00Z' });
  return [
    ...events,
    ...refunds.filter((_, i) => i % 4 === 0).map((e): HistoryEvent => ({ type: 'outcome', outcome: { subjectId: e.refund.id, label: 'fraud', at: e.refund.createdAt, source: 'merchant' } })),
    { type: 'order', order: guest },
    { type: 'return', return: guestReturn },
    { type: 'refund', refund: orphan },
  ];
}

describe('HistoryStream', () => {
  it('gives every subject the same context as contextAt, decisions and risk tag included', () => {
    const events = shopEvents(7);
    const replayed = [...replayHistory(events, live, { shopId: 's', keepContexts: true })];
    const stream = new HistoryStream();
    let row = 0;
    let withDecisions = 0;
    let withDelivery = 0;
    for (const event of sortEvents(events)) {
      stream.add(event);
      const subject = subjectOf(event, stream);
      if (!subject) continue;
      const { decision, context } = replayed[row++];
      expect(subject.id).toBe(decision.subject.id);
      const ours = stream.contextOf(subject, ALL, { shopId: 's', baseline: context!.baseline });
      expect(JSON.stringify(ours), subject.id).toBe(JSON.stringify(context));
      if (ours.history.decisions.length > 0) withDecisions++;
      if (ours.history.fulfillments.some((f) => f.deliveredAt === null)) withDelivery++;
      stream.addDecision(subject.order.customerId, subject.order.id, { subjectId: subject.id, kind: subject.kind, at: subject.at, score: decision.score, zone: decision.zone });
    }
    expect(row).toBe(replayed.length);
    expect(row).toBeGreaterThan(300);
    expect(withDecisions).toBeGreaterThan(100);
    expect(withDelivery).toBeGreaterThan(0);
  });

  it('materialises only the history lists asked for', () => {
    const events = shopEvents(8);
    const stream = new HistoryStream();
    const needs = new Set<ContextNeed>(['history.orders', 'history.returns']);
    let checked = 0;
    for (const event of sortEvents(events)) {
      stream.add(event);
      const subject = subjectOf(event, stream);
      if (!subject) continue;
      const some = stream.contextOf(subject, needs, { shopId: 's' });
      const all = stream.contextOf(subject, ALL, { shopId: 's' });
      expect(some.history.orders).toEqual(all.history.orders);
      expect(some.history.returns).toEqual(all.history.returns);
      expect(some.history.refunds).toEqual([]);
      expect(some.history.fulfillments).toEqual([]);
      if (all.history.refunds.length > 0) checked++;
    }
    expect(checked).toBeGreaterThan(0);
  });
});
