import { describe, it } from 'vitest';
import { SignalTester, makeLineItem, makeOrder, orderContext, refundContext, returnContext } from '../../sdk/testing/index.ts';
import highValue from './high-value.ts';

const worth = (price: number) => makeOrder({ lineItems: [makeLineItem({ price })] });
const baseline = { measures: { 'order.value': { p50: 500, p75: 900, p90: 1500, p95: 2000, p99: 5000, n: 1000 } } };
const thinBaseline = { measures: { 'order.value': { p50: 500, p75: 900, p90: 1500, p95: 2000, p99: 5000, n: 10 } } };

new SignalTester({ describe, it }).run(highValue, {
  hits: [
    {
      name: 'twice the fallback threshold',
      ctx: orderContext(worth(800)),
      strength: [0.53, 0.54],
      evidence: { value: 800, threshold: 400, ratio: 2 },
      message: 'Order worth 800, 2 times the 400 threshold.',
    },
    { name: 'a return on a very large order', ctx: returnContext(undefined, worth(5000)), strength: 1 },
    { name: "a refund just past the shop's p95", ctx: refundContext(undefined, worth(2100), { baseline }), strength: [0.31, 0.32], evidence: { threshold: 2000 } },
    { name: 'a thin baseline is not trusted', ctx: orderContext(worth(800), { baseline: thinBaseline }), evidence: { threshold: 400 } },
  ],
  quiet: [
    { name: 'an ordinary order', ctx: orderContext(worth(120)), messageId: 'normal' },
    { name: "below the shop's own p95", ctx: orderContext(worth(800), { baseline }), evidence: { threshold: 2000, ratio: 0.4 } },
    { name: 'below a raised fallback', ctx: orderContext(worth(800)), params: { fallbackValue: 1000 } },
  ],
  invalidParams: [
    { name: 'negative fallback', params: { fallbackValue: -5 }, pointer: '/fallbackValue' },
    { name: 'full ratio too low', params: { fullRatio: 0.5 }, pointer: '/fullRatio' },
  ],
});
