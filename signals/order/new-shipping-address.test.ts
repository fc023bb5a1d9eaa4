import { describe, it } from 'vitest';
import { SignalTester, makeOrder, orderContext } from '../../sdk/testing/index.ts';
import newShippingAddress from './new-shipping-address.ts';

const to = (hash?: string) => makeOrder({ shippingAddress: hash ? { countryCode: 'US', hash } : undefined });
const past = (...hashes: (string | undefined)[]) => ({ history: { orders: hashes.map(to) } });
const order = to('h-new');

new SignalTester({ describe, it }).run(newShippingAddress, {
  hits: [
    {
      name: 'eight orders home, this one elsewhere',
      ctx: orderContext(order, past('h-home', 'h-home', 'h-home', 'h-home', 'h-home', 'h-home', 'h-home', 'h-home')),
      strength: 1,
      evidence: { priorOrders: 8, priorAddresses: 1 },
      messageId: 'newAddress',
    },
    {
      name: 'two orders to two other addresses',
      ctx: orderContext(order, past('h-home', 'h-work')),
      strength: 0.3,
      message: 'New shipping address after 2 earlier orders to 2 other address(es).',
    },
    {
      name: 'one earlier order is enough with minOrders 1',
      ctx: orderContext(order, past('h-home', undefined)),
      params: { minOrders: 1 },
      strength: 0.4,
      evidence: { priorOrders: 1 },
    },
  ],
  quiet: [
    { name: 'ships home again', ctx: orderContext(to('h-home'), past('h-work', 'h-home', 'h-home')), messageId: 'known' },
    { name: 'a once-used address is known', ctx: orderContext(to('h-work'), past('h-home', 'h-home', 'h-work')), evidence: { priorAddresses: 2 } },
  ],
  insufficient: [
    { name: 'guest checkout', ctx: orderContext(makeOrder({ customerId: null, shippingAddress: { hash: 'h-new' } }), { customer: null }), messageId: 'guest' },
    { name: 'no address hash on the order', ctx: orderContext(to(), past('h-home', 'h-home')), messageId: 'noAddress' },
    {
      name: 'earlier orders without addresses do not count',
      ctx: orderContext(order, past('h-home', undefined, undefined)),
      messageId: 'tooFew',
      evidence: { priorOrders: 1, minOrders: 2 },
    },
  ],
  invalidParams: [{ name: 'minOrders of 0', params: { minOrders: 0 }, pointer: '/minOrders' }],
});
