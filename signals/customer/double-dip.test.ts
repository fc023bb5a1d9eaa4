import { describe, it } from 'vitest';
import type { ChargebackRecord } from '../../sdk/index.ts';
import { SignalTester, makeOrder, makeRefund, makeReturn, refundContext, returnContext } from '../../sdk/testing/index.ts';
import doubleDip from './double-dip.ts';

const order = makeOrder({ id: 'gid://shopify/Order/1', totalPrice: 80 });
const past = [2, 3].map((n) => makeOrder({ id: `gid://shopify/Order/${n}`, createdAt: '2025-10-01T00:00:00Z' }));
const chargeback = (orderId: string, amount = 80, type?: 'inquiry'): ChargebackRecord => ({
  id: `gid://shopify/ShopifyPaymentsDispute/${orderId.slice(-1)}${type ?? ''}`,
  orderId,
  initiatedAt: '2026-01-15T00:00:00Z',
  amount,
  type,
});

new SignalTester({ describe, it }).run(doubleDip, {
  hits: [
    {
      name: 'refund on an order already charged back',
      ctx: refundContext(undefined, order, { history: { chargebacks: [chargeback(order.id, 80)] } }),
      strength: 1,
      evidence: { sameOrderChargebacks: 1, chargebackAmount: 80 },
      message: 'This order already has 1 chargeback(s) for 80; a return or refund would pay the customer twice.',
    },
    {
      name: 'return on a charged-back guest order',
      ctx: returnContext(undefined, makeOrder({ id: 'gid://shopify/Order/7', customerId: null }), {
        history: { chargebacks: [chargeback('gid://shopify/Order/7', 30.5)] },
      }),
      strength: 1,
      evidence: { chargebackAmount: 30.5 },
    },
    {
      name: 'one earlier order refunded and charged back',
      ctx: returnContext(undefined, order, {
        history: { orders: [...past, order], refunds: [makeRefund(past[0])], chargebacks: [chargeback(past[0].id)] },
      }),
      strength: 0.6,
      evidence: { sameOrderChargebacks: 0, pastDoubleDips: 1 },
      messageId: 'past',
    },
    {
      name: 'two earlier double-dips',
      ctx: returnContext(undefined, order, {
        history: {
          orders: [...past, order],
          refunds: [makeRefund(past[0])],
          returns: [makeReturn(past[1])],
          chargebacks: [chargeback(past[0].id), chargeback(past[1].id)],
        },
      }),
      strength: 1,
      evidence: { pastDoubleDips: 2 },
    },
  ],
  quiet: [
    { name: 'no chargebacks', ctx: refundContext(undefined, order), messageId: 'none' },
    {
      name: 'a chargeback on an order that was never refunded',
      ctx: refundContext(undefined, order, { history: { orders: [...past, order], chargebacks: [chargeback(past[0].id)] } }),
      evidence: { pastDoubleDips: 0 },
    },
    {
      name: 'only an inquiry on this order',
      ctx: refundContext(undefined, order, { history: { chargebacks: [chargeback(order.id, 80, 'inquiry')] } }),
      evidence: { sameOrderChargebacks: 0 },
    },
  ],
  insufficient: [
    {
      name: 'guest without a chargeback on this order',
      ctx: refundContext(undefined, makeOrder({ id: 'gid://shopify/Order/8', customerId: null })),
      messageId: 'guest',
    },
  ],
  invalidParams: [{ name: 'past strength zero', params: { pastStrength: 0 }, pointer: '/pastStrength' }],
});
