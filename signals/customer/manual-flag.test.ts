import { describe, it } from 'vitest';
import { SignalTester, makeOrder, orderContext, refundContext, returnContext } from '../../sdk/testing/index.ts';
import manualFlag from './manual-flag.ts';

const order = makeOrder({ id: 'gid://shopify/Order/1' });
const customer = (manualOverride?: 'trusted' | 'flagged' | null) => ({ id: 'gid://shopify/Customer/1', tags: [], identity: {}, manualOverride });

new SignalTester({ describe, it }).run(manualFlag, {
  hits: [
    {
      name: 'flagged customer placing an order',
      ctx: orderContext(order, { customer: customer('flagged') }),
      strength: 1,
      evidence: { manualOverride: 'flagged' },
      messageId: 'flagged',
    },
    { name: 'flagged customer asking for a refund', ctx: refundContext(undefined, order, { customer: customer('flagged') }), strength: 1 },
  ],
  quiet: [
    { name: 'no override', ctx: orderContext(order, { customer: customer() }), messageId: 'notFlagged' },
    { name: 'override cleared', ctx: returnContext(undefined, order, { customer: customer(null) }) },
    { name: 'the opposite override', ctx: orderContext(order, { customer: customer('trusted') }) },
  ],
  insufficient: [{ name: 'guest checkout', ctx: orderContext(order, { customer: null }), messageId: 'guest' }],
  invalidParams: [{ name: 'takes no params', params: { strength: 1 }, pointer: '/strength' }],
});
