import { describe, it } from 'vitest';
import type { ShippingLine } from '../../sdk/index.ts';
import { SignalTester, makeOrder, returnContext } from '../../sdk/testing/index.ts';
import expressThenReturn from './express-then-return.ts';

const shippedBy = (n: number, shippingLines: ShippingLine[]) => returnContext(undefined, makeOrder({ id: `gid://shopify/Order/${n}`, shippingLines }));

new SignalTester({ describe, it }).run(expressThenReturn, {
  hits: [
    { name: 'overnight', ctx: shippedBy(1, [{ title: 'Next day', price: 25, speed: 'overnight' }]), strength: 1, evidence: { speed: 'overnight' }, message: 'The returned order was shipped overnight.' },
    { name: 'express', ctx: shippedBy(2, [{ title: 'Express', price: 15, speed: 'express' }]), strength: 0.6, messageId: 'fast' },
    {
      name: 'express among several lines',
      ctx: shippedBy(3, [{ price: 0, speed: 'standard' }, { price: 12, speed: 'express' }]),
      params: { expressStrength: 0.4 },
      strength: 0.4,
    },
  ],
  quiet: [
    { name: 'standard shipping', ctx: shippedBy(4, [{ title: 'Standard', price: 5, speed: 'standard' }]), evidence: { speed: 'standard' }, messageId: 'standard' },
    { name: 'store pickup', ctx: shippedBy(5, [{ title: 'Pickup', price: 0, speed: 'pickup' }]) },
    { name: 'no shipping at all', ctx: shippedBy(6, []), evidence: { speed: 'none' } },
  ],
  insufficient: [
    { name: 'unknown speed', ctx: shippedBy(7, [{ title: 'Carrier X', price: 9, speed: 'unknown' }]), messageId: 'unknown' },
    { name: 'no speed given', ctx: shippedBy(8, [{ title: 'Carrier Y', price: 9 }]) },
  ],
  invalidParams: [{ name: 'strength above 1', params: { expressStrength: 1.5 }, pointer: '/expressStrength' }],
});
