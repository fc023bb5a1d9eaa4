import { describe, it } from 'vitest';
import type { ShippingLine } from '../../sdk/index.ts';
import { SignalTester, makeLineItem, makeOrder, orderContext } from '../../sdk/testing/index.ts';
import expressHighValue from './express-high-value.ts';

const ship = (speed?: ShippingLine['speed']): ShippingLine[] => [{ title: 'Shipping', price: 20, speed }];
const order = (price: number, shippingLines: ShippingLine[]) => makeOrder({ lineItems: [makeLineItem({ price })], shippingLines });
const baseline = { measures: { 'order.value': { p50: 300, p75: 500, p90: 800, p95: 1000, p99: 2000, n: 300 } } };

new SignalTester({ describe, it }).run(expressHighValue, {
  hits: [
    {
      name: 'express on twice the fallback threshold',
      ctx: orderContext(order(300, ship('express'))),
      strength: [0.59, 0.61],
      evidence: { value: 300, threshold: 150, speed: 'express' },
      message: 'express shipping on an order worth 300 (threshold 150).',
    },
    { name: 'overnight on a large order', ctx: orderContext(order(900, ship('overnight'))), strength: 1, evidence: { speed: 'overnight' } },
    {
      name: "one express line among others, above the shop's p75",
      ctx: orderContext(order(600, [...ship('standard'), ...ship('express')]), { baseline }),
      strength: [0.44, 0.46],
      evidence: { threshold: 500 },
    },
  ],
  quiet: [
    { name: 'express on a small order', ctx: orderContext(order(100, ship('express'))), messageId: 'normal' },
    { name: 'standard shipping on a large order', ctx: orderContext(order(900, ship('standard'))), evidence: { speed: 'standard' } },
    { name: "express below the shop's p75", ctx: orderContext(order(300, ship('express')), { baseline }) },
    { name: 'a digital order without shipping', ctx: orderContext(order(900, [])), evidence: { speed: 'none' } },
    { name: 'an unknown line beside a standard one', ctx: orderContext(order(900, [...ship(), ...ship('standard')])), evidence: { speed: 'standard' } },
  ],
  insufficient: [{ name: 'a large order of unknown speed', ctx: orderContext(order(900, ship())), messageId: 'unknownSpeed' }],
  invalidParams: [{ name: 'full ratio too low', params: { fullRatio: 1 }, pointer: '/fullRatio' }],
});
