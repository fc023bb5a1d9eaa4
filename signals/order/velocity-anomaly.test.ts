import { describe, it } from 'vitest';
import { SignalTester, makeOrder, orderContext } from '../../sdk/testing/index.ts';
import velocityAnomaly from './velocity-anomaly.ts';

const order = makeOrder({ createdAt: '2026-03-10T12:00:00Z' });
const placed = (...times: string[]) => times.map((createdAt) => makeOrder({ createdAt }));
const sameDay = placed('2026-03-10T08:00:00Z', '2026-03-10T10:00:00Z');
const thisWeek = placed('2026-03-04T12:00:00Z', '2026-03-06T09:00:00Z', '2026-03-07T09:00:00Z', '2026-03-08T09:00:00Z');
const frequentShop = { measures: { 'customer.orders30d': { p50: 20, p75: 40, p90: 60, p95: 90, p99: 120, n: 400 } } };

new SignalTester({ describe, it }).run(velocityAnomaly, {
  hits: [
    {
      name: 'third order today',
      ctx: orderContext(order, { history: { orders: sameDay } }),
      strength: 0.4,
      evidence: { orders24h: 3, orders7d: 3, threshold24h: 3 },
      messageId: 'burst',
    },
    {
      name: 'six orders this week',
      ctx: orderContext(order, { history: { orders: [...thisWeek, ...sameDay.slice(1)] } }),
      strength: [0.51, 0.53],
      message: '2 orders in 24 hours (threshold 3) and 6 in 7 days (threshold 5).',
    },
    {
      name: 'six orders today',
      ctx: orderContext(order, { history: { orders: [...placed('2026-03-10T01:00:00Z', '2026-03-10T02:00:00Z', '2026-03-10T03:00:00Z'), ...sameDay] } }),
      strength: 1,
      evidence: { orders24h: 6 },
    },
  ],
  quiet: [
    { name: 'one earlier order this week', ctx: orderContext(order, { history: { orders: thisWeek.slice(0, 1) } }), messageId: 'normal' },
    {
      name: 'older orders do not count',
      ctx: orderContext(order, { history: { orders: placed('2026-02-01T00:00:00Z', '2026-02-02T00:00:00Z', '2026-02-03T00:00:00Z', '2026-03-02T00:00:00Z') } }),
      evidence: { orders24h: 1, orders7d: 1 },
    },
    {
      name: "a shop where customers order daily raises the thresholds",
      ctx: orderContext(order, { history: { orders: sameDay }, baseline: frequentShop }),
      evidence: { threshold24h: 4, threshold7d: 22 },
    },
    { name: 'raised params', ctx: orderContext(order, { history: { orders: sameDay } }), params: { min24h: 4 } },
  ],
  insufficient: [{ name: 'guest checkout', ctx: orderContext(order, { customer: null }), messageId: 'guest' }],
  invalidParams: [
    { name: 'min24h of 1', params: { min24h: 1 }, pointer: '/min24h' },
    { name: 'min7d as text', params: { min7d: 'five' }, pointer: '/min7d' },
  ],
});
