import { describe, it } from 'vitest';
import { SignalTester, makeOrder, orderContext, returnContext } from '../../sdk/testing/index.ts';
import geoAnomaly from './geo-anomaly.ts';

const at = (countryCode: string | undefined, n: number, createdAt = `2025-0${n}-01T00:00:00Z`) =>
  makeOrder({ id: `gid://shopify/Order/${n}`, createdAt, shippingAddress: countryCode ? { countryCode } : undefined });
const usHistory = [1, 2, 3].map((n) => at('US', n));
const frOrder = at('FR', 9, '2026-01-10T00:00:00Z');

new SignalTester({ describe, it }).run(geoAnomaly, {
  hits: [
    {
      name: 'three US orders, then France',
      ctx: orderContext(frOrder, { history: { orders: usHistory } }),
      strength: 0.5,
      evidence: { country: 'FR', priorOrders: 3, priorCountries: 'US' },
      message: 'Ships to FR; the 3 earlier orders went to US.',
    },
    {
      name: 'a return of the odd order (later orders do not count)',
      ctx: returnContext(undefined, frOrder, {
        history: { orders: [...usHistory, at('CA', 4), at('CA', 5), at('US', 6), frOrder, at('FR', 10, '2026-01-15T00:00:00Z')] },
      }),
      strength: [0.74, 0.76],
      evidence: { priorOrders: 6, priorCountries: 'US, CA' },
    },
  ],
  quiet: [
    { name: 'same country as before', ctx: orderContext(at('US', 9, '2026-01-10T00:00:00Z'), { history: { orders: usHistory } }), messageId: 'usual' },
    {
      name: 'used the country once before',
      ctx: orderContext(frOrder, { history: { orders: [...usHistory, at('fr', 4)] } }),
      evidence: { priorCountries: 'US, FR' },
    },
  ],
  insufficient: [
    { name: 'two earlier orders', ctx: orderContext(frOrder, { history: { orders: usHistory.slice(0, 2) } }), evidence: { priorOrders: 2 }, messageId: 'unknown' },
    { name: 'no shipping country', ctx: orderContext(at(undefined, 9, '2026-01-10T00:00:00Z'), { history: { orders: usHistory } }) },
    { name: 'earlier countries unknown', ctx: orderContext(frOrder, { history: { orders: [1, 2, 3].map((n) => at(undefined, n)) } }) },
  ],
  invalidParams: [{ name: 'zero orders', params: { minOrders: 0 }, pointer: '/minOrders' }],
});
