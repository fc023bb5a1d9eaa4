import { describe, it } from 'vitest';
import { SignalTester, makeLineItem, makeOrder, orderContext } from '../../sdk/testing/index.ts';
import chargebackProne from './chargeback-prone.ts';

const at = '2026-04-01T12:00:00Z';
const usShipping = { shippingAddress: { countryCode: 'US' } };
const giftCards = [makeLineItem({ price: 200, quantity: 2, giftCard: true, requiresShipping: false, productType: 'Gift Card' })];
const laptop = [makeLineItem({ price: 900, productType: 'Consumer Electronics' })];
const shirt = [makeLineItem({ price: 40, productType: 'Apparel' })];
const pastOrder = makeOrder({ createdAt: '2025-01-01T00:00:00Z' });
const oldCustomer = { id: 'gid://shopify/Customer/1', createdAt: '2024-01-01T00:00:00Z', tags: [], identity: {} };

new SignalTester({ describe, it }).run(chargebackProne, {
  hits: [
    {
      name: 'a guest buying gift cards from a foreign IP',
      ctx: orderContext(makeOrder({ createdAt: at, customerId: null, lineItems: giftCards, browserIpCountryCode: 'NG', ...usShipping }), { customer: null }),
      strength: 1,
      evidence: { count: 4, value: 400, threshold: 250 },
      message: '4 of 4 chargeback risk factors: new customer, high value, resellable, foreign IP.',
    },
    {
      name: 'a first order of a laptop',
      ctx: orderContext(makeOrder({ createdAt: at, lineItems: laptop, browserIpCountryCode: 'us', ...usShipping })),
      strength: 0.75,
      evidence: { factors: ['new customer', 'high value', 'resellable'] },
      messageId: 'prone',
    },
    {
      name: 'a week-old account with one earlier order, shirt to a foreign address',
      ctx: orderContext(makeOrder({ createdAt: at, lineItems: shirt, browserIpCountryCode: 'DE', ...usShipping }), {
        customer: { ...oldCustomer, createdAt: '2026-03-25T00:00:00Z' },
        history: { orders: [pastOrder] },
      }),
      strength: 0.5,
      evidence: { factors: ['new customer', 'foreign IP'] },
    },
  ],
  quiet: [
    {
      name: 'a long-time customer buying a laptop at home, three factors required',
      ctx: orderContext(makeOrder({ createdAt: at, lineItems: laptop, browserIpCountryCode: 'US', ...usShipping }), {
        customer: oldCustomer,
        history: { orders: [pastOrder] },
      }),
      messageId: 'normal',
      evidence: { count: 2 },
      params: { minFactors: 3 },
    },
    {
      name: 'a first order of a cheap shirt',
      ctx: orderContext(makeOrder({ createdAt: at, lineItems: shirt, browserIpCountryCode: 'US', ...usShipping })),
      evidence: { count: 1, factors: ['new customer'] },
    },
    {
      name: 'no resellable types configured and an unknown IP country',
      ctx: orderContext(makeOrder({ createdAt: at, lineItems: laptop, ...usShipping }), { customer: oldCustomer, history: { orders: [pastOrder] } }),
      params: { resellableTypes: [] },
      evidence: { factors: ['high value'] },
    },
  ],
  invalidParams: [
    { name: 'five factors', params: { minFactors: 5 }, pointer: '/minFactors' },
    { name: 'an empty product type', params: { resellableTypes: [''] }, pointer: '/resellableTypes/0' },
  ],
});
