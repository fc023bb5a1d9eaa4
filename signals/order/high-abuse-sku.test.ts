import { describe, it } from 'vitest';
import { SignalTester, makeLineItem, makeOrder, makeReturn, orderContext, returnContext } from '../../sdk/testing/index.ts';
import highAbuseSku from './high-abuse-sku.ts';

const baseline = {
  shopReturnRate: 0.1,
  skuReturnRates: {
    'DRESS-RED': { rate: 0.4, sold: 200 },
    'BAG-1': { rate: 0.25, sold: 80 },
    'NEW-1': { rate: 0.9, sold: 5 },
    'SOCKS-1': { rate: 0.05, sold: 500 },
  },
};
const order = makeOrder({
  lineItems: [makeLineItem({ sku: 'DRESS-RED', price: 120 }), makeLineItem({ sku: 'SOCKS-1', price: 10, quantity: 3 })],
});
const plain = makeOrder({ lineItems: [makeLineItem({ sku: 'SOCKS-1' }), makeLineItem({ sku: 'NEW-1' }), makeLineItem({ sku: undefined })] });

new SignalTester({ describe, it }).run(highAbuseSku, {
  hits: [
    {
      name: 'a dress returned 40% of the time in an order with socks',
      ctx: orderContext(order, { baseline }),
      strength: [0.69, 0.71],
      evidence: { units: 4, flaggedUnits: 1, worstSku: 'DRESS-RED', worstRatePercent: 40, shopRatePercent: 10 },
      messageId: 'risky',
    },
    {
      name: 'a return of just the dress judges the returned item',
      ctx: returnContext(undefined, order, { baseline }),
      strength: 1,
      evidence: { units: 1, flaggedUnits: 1 },
    },
    {
      name: 'a bag just past twice the shop rate',
      ctx: orderContext(makeOrder({ lineItems: [makeLineItem({ sku: 'BAG-1' })] }), { baseline }),
      strength: [0.54, 0.56],
      message: '1 of 1 unit(s) are SKUs returned up to 25% of the time (shop: 10%), e.g. BAG-1.',
    },
  ],
  quiet: [
    { name: 'ordinary, untracked and too-new SKUs', ctx: orderContext(plain, { baseline }), messageId: 'normal' },
    {
      name: 'the socks are returned',
      ctx: returnContext(makeReturn(order, { lineItems: [{ lineItemId: order.lineItems[1].id, sku: 'SOCKS-1', quantity: 1 }] }), order, { baseline }),
    },
    { name: 'a higher ratio leaves the dress out', ctx: orderContext(order, { baseline }), params: { minRatio: 5 } },
  ],
  insufficient: [
    { name: 'no SKU rates yet', ctx: orderContext(order), messageId: 'noRates' },
    { name: 'no shop return rate', ctx: orderContext(order, { baseline: { skuReturnRates: baseline.skuReturnRates } }) },
  ],
  invalidParams: [
    { name: 'ratio below 1', params: { minRatio: 0.5 }, pointer: '/minRatio' },
    { name: 'fractional minSold', params: { minSold: 2.5 }, pointer: '/minSold' },
  ],
});
