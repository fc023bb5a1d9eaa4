import { describe, it } from 'vitest';
import type { LineItem, OrderRecord } from '../../sdk/index.ts';
import { SignalTester, makeLineItem, makeOrder, makeReturn, returnContext } from '../../sdk/testing/index.ts';
import priciestOnly from './priciest-item-only.ts';

const order = (...prices: number[]) => makeOrder({ lineItems: prices.map((price) => makeLineItem({ price })) });
const returning = (o: OrderRecord, line: LineItem, createdAt = '2026-01-05T00:00:00Z') =>
  makeReturn(o, { createdAt, lineItems: [{ lineItemId: line.id, quantity: 1, reason: 'UNWANTED' }] });
const priciestReturn = (o: OrderRecord, createdAt?: string) => returning(o, o.lineItems[0], createdAt);

const current = order(300, 20, 15);
const pastA = order(250, 25);
const pastB = order(180, 40, 10);
const pastEven = order(100, 90);
const ctxWith = (past: OrderRecord[], ret = priciestReturn(current, '2026-01-20T10:00:00Z'), returns = past.map((o) => priciestReturn(o))) =>
  returnContext(ret, current, { history: { orders: [...past, current], returns } });

new SignalTester({ describe, it }).run(priciestOnly, {
  hits: [
    {
      name: 'second order where only the priciest item went back',
      ctx: ctxWith([pastA]),
      strength: 0.4,
      evidence: { orders: 2, price: 300 },
      messageId: 'repeated',
    },
    { name: 'third such order', ctx: ctxWith([pastA, pastB]), strength: [0.69, 0.71], evidence: { orders: 3 } },
  ],
  quiet: [
    { name: 'first time', ctx: ctxWith([]), evidence: { orders: 1 }, messageId: 'once' },
    { name: 'a cheap item returned', ctx: ctxWith([pastA], returning(current, current.lineItems[1], '2026-01-20T10:00:00Z')), messageId: 'normal' },
    {
      name: 'earlier orders had no clearly priciest item or lost the cheap one too',
      ctx: ctxWith([pastEven, pastB], undefined, [
        priciestReturn(pastEven),
        makeReturn(pastB, { lineItems: pastB.lineItems.slice(0, 2).map((l) => ({ lineItemId: l.id, quantity: 1 })) }),
      ]),
    },
    {
      name: 'a single-item order',
      ctx: (() => {
        const one = order(300);
        return returnContext(priciestReturn(one, '2026-01-20T10:00:00Z'), one, { history: { orders: [pastA, one], returns: [priciestReturn(pastA)] } });
      })(),
    },
  ],
  insufficient: [{ name: 'guest checkout', ctx: returnContext(priciestReturn(current), current, { customer: null }), messageId: 'guest' }],
  invalidParams: [{ name: 'ratio below 1', params: { minPriceRatio: 0.5 }, pointer: '/minPriceRatio' }],
});
