import { describe, it } from 'vitest';
import { SignalTester, makeLineItem, makeOrder, orderContext } from '../../sdk/testing/index.ts';
import riskyFirstOrder from './risky-first-order.ts';

const express = [{ title: 'Next day', price: 25, speed: 'overnight' as const }];
const worth = (price: number, extra = {}) => makeOrder({ lineItems: [makeLineItem({ price })], ...extra });
const baseline = { measures: { 'order.value': { p50: 60, p75: 120, p90: 600, p95: 900, p99: 2000, n: 500 } } };

new SignalTester({ describe, it }).run(riskyFirstOrder, {
  hits: [
    {
      name: 'a first order at twice the fallback threshold',
      ctx: orderContext(worth(500)),
      strength: [0.44, 0.46],
      evidence: { value: 500, threshold: 250, express: false },
      messageId: 'risky',
    },
    {
      name: 'a guest paying for overnight shipping on a small order',
      ctx: orderContext(worth(40, { customerId: null, shippingLines: express }), { customer: null }),
      strength: 0.4,
      evidence: { express: true, guest: true },
    },
    {
      name: 'three times the threshold with overnight shipping',
      ctx: orderContext(worth(750, { shippingLines: express })),
      strength: 1,
      message: 'First order worth 750 (threshold 250), express shipping: true.',
    },
  ],
  quiet: [
    { name: 'a small first order with standard shipping', ctx: orderContext(worth(80)), messageId: 'normal' },
    {
      name: 'a returning customer',
      ctx: orderContext(worth(900, { shippingLines: express }), { history: { orders: [worth(30)] } }),
      messageId: 'returning',
      evidence: { priorOrders: 1 },
    },
    { name: "below the shop's own p90", ctx: orderContext(worth(500), { baseline }), evidence: { threshold: 600 } },
    { name: 'below a raised fallback', ctx: orderContext(worth(500)), params: { fallbackValue: 800 } },
  ],
  invalidParams: [
    { name: 'negative fallback', params: { fallbackValue: -1 }, pointer: '/fallbackValue' },
    { name: 'full ratio of 1', params: { fullRatio: 1 }, pointer: '/fullRatio' },
  ],
});
