import { describe, it } from 'vitest';
import type { ChargebackRecord } from '../../sdk/index.ts';
import { SignalTester, makeOrder, orderContext, refundContext } from '../../sdk/testing/index.ts';
import priorChargebacks from './prior-chargebacks.ts';

const order = makeOrder({ createdAt: '2026-06-01T00:00:00Z' });
const chargeback = (initiatedAt: string, amount = 80): ChargebackRecord => ({
  id: `gid://shopify/ShopifyPaymentsDispute/${initiatedAt.slice(0, 10)}`,
  orderId: 'gid://shopify/Order/9',
  initiatedAt,
  amount,
});

new SignalTester({ describe, it }).run(priorChargebacks, {
  hits: [
    {
      name: 'one chargeback two months ago',
      ctx: orderContext(order, { history: { chargebacks: [chargeback('2026-04-01T00:00:00Z')] } }),
      strength: 0.7,
      evidence: { count: 1, amount: 80 },
    },
    {
      name: 'two chargebacks before a refund',
      ctx: refundContext(undefined, order, {
        history: { chargebacks: [chargeback('2026-02-01T00:00:00Z', 20.5), chargeback('2026-03-01T00:00:00Z', 10.25)] },
      }),
      strength: 1,
      message: '2 chargeback(s) in the last 365 days, 30.75 disputed in all.',
    },
  ],
  quiet: [
    { name: 'no chargebacks', ctx: orderContext(order), messageId: 'none' },
    {
      name: 'a chargeback older than the window',
      ctx: orderContext(order, { history: { chargebacks: [chargeback('2024-01-01T00:00:00Z')] } }),
    },
    {
      name: 'a short window leaves the chargeback out',
      ctx: orderContext(order, { history: { chargebacks: [chargeback('2026-04-01T00:00:00Z')] } }),
      params: { lookbackDays: 30 },
    },
  ],
  insufficient: [{ name: 'guest checkout', ctx: orderContext(order, { customer: null }), messageId: 'guest' }],
});
