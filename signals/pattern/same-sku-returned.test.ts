import { describe, it } from 'vitest';
import { SignalTester, makeLineItem, makeOrder, makeReturn, returnContext } from '../../sdk/testing/index.ts';
import sameSku from './same-sku-returned.ts';

const orderOf = (...skus: (string | undefined)[]) => makeOrder({ lineItems: skus.map((sku) => makeLineItem({ sku })) });
// Past returns carry no sku on the return line: it is looked up on their order.
const pastReturn = (sku: string) => {
  const order = orderOf(sku);
  return { order, ret: makeReturn(order, { lineItems: [{ lineItemId: order.lineItems[0].id, quantity: 1 }], createdAt: '2026-01-05T00:00:00Z' }) };
};
const past = [pastReturn('JEANS-32'), pastReturn('JEANS-32'), pastReturn('TEE-M'), pastReturn('BAG-1')];
const history = (pairs = past) => ({ orders: pairs.map((p) => p.order), returns: pairs.map((p) => p.ret) });
const current = orderOf('JEANS-32', 'TEE-M');
const returnBoth = makeReturn(current, {
  lineItems: current.lineItems.map((l) => ({ lineItemId: l.id, sku: l.sku, quantity: 1, reason: 'SIZE_TOO_SMALL' })),
});

new SignalTester({ describe, it }).run(sameSku, {
  hits: [
    {
      name: 'jeans returned twice before and a tee once',
      ctx: returnContext(returnBoth, current, { history: history() }),
      strength: 1,
      evidence: { skus: 'JEANS-32, TEE-M', repeats: 3 },
      messageId: 'repeated',
    },
    {
      name: 'the tee returned once before',
      ctx: returnContext(makeReturn(current, { lineItems: [{ lineItemId: current.lineItems[1].id, quantity: 1 }] }), current, {
        history: history(),
      }),
      strength: 0.5,
      message: 'SKU TEE-M returned 1 time(s) before.',
    },
  ],
  quiet: [
    { name: 'no earlier returns', ctx: returnContext(returnBoth, current), messageId: 'normal' },
    { name: 'earlier returns of other SKUs', ctx: returnContext(returnBoth, current, { history: history([past[3]]) }) },
  ],
  insufficient: [
    { name: 'guest checkout', ctx: returnContext(returnBoth, current, { customer: null }), messageId: 'guest' },
    {
      name: 'items without SKU',
      ctx: (() => {
        const noSku = orderOf(undefined);
        return returnContext(makeReturn(noSku), noSku, { history: history() });
      })(),
      messageId: 'noSku',
    },
  ],
  invalidParams: [{ name: 'zero repeats for full strength', params: { repeatsForFull: 0 }, pointer: '/repeatsForFull' }],
});
