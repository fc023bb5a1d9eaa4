import { describe, it } from 'vitest';
import { SignalTester, makeOrder, orderContext, refundContext, returnContext } from '../../sdk/testing/index.ts';
import priorRiskTags from './prior-risk-tags.ts';

const order = makeOrder({ id: 'gid://shopify/Order/1' });
const customer = (tags: string[]) => ({ id: 'gid://shopify/Customer/1', tags, identity: {} });

new SignalTester({ describe, it }).run(priorRiskTags, {
  hits: [
    {
      name: 'high-risk tag',
      ctx: orderContext(order, { customer: customer(['vip', 'refundsentry:high-risk']) }),
      strength: 1,
      evidence: { tag: 'refundsentry:high-risk' },
      message: 'The customer is tagged "refundsentry:high-risk" from an earlier decision.',
    },
    {
      name: 'medium-risk tag, case and spaces ignored',
      ctx: returnContext(undefined, order, { customer: customer([' RefundSentry:Medium-Risk ']) }),
      strength: 0.5,
      evidence: { tag: 'refundsentry:medium-risk' },
    },
    {
      name: 'both tags: the high one wins',
      ctx: refundContext(undefined, order, { customer: customer(['refundsentry:medium-risk', 'refundsentry:high-risk']) }),
      strength: 1,
    },
    {
      name: 'a custom prefix',
      ctx: orderContext(order, { customer: customer(['rs-high-risk']) }),
      params: { tagPrefix: 'rs-' },
      strength: 1,
    },
  ],
  quiet: [
    { name: 'no tags', ctx: orderContext(order, { customer: customer([]) }), messageId: 'none' },
    { name: 'other tags only', ctx: orderContext(order, { customer: customer(['high-risk', 'refundsentry:low-risk']) }) },
    { name: 'tag with another prefix', ctx: orderContext(order, { customer: customer(['refundsentry:high-risk']) }), params: { tagPrefix: 'rs-' } },
  ],
  insufficient: [{ name: 'guest checkout', ctx: orderContext(order, { customer: null }), messageId: 'guest' }],
  invalidParams: [
    { name: 'empty prefix', params: { tagPrefix: '' }, pointer: '/tagPrefix' },
    { name: 'medium strength above 1', params: { mediumStrength: 2 }, pointer: '/mediumStrength' },
  ],
});
