import { describe, it } from 'vitest';
import type { RingNeighbour, RingNeighbourhood } from '../../sdk/index.ts';
import { SignalTester, makeOrder, orderContext, refundContext } from '../../sdk/testing/index.ts';
import fraudRing from './fraud-ring.ts';

const order = makeOrder({ createdAt: '2026-06-01T00:00:00Z' });
const neighbour = (id: number, kinds: RingNeighbour['via'][number]['kind'][], bad: { chargebacks?: number; fraudLabels?: number } = {}, sharedWith = 3): RingNeighbour => ({
  id: `gid://shopify/Customer/${id}`,
  via: kinds.map((kind) => ({ kind, sharedWith })),
  orders: 2,
  returnedOrders: 1,
  chargebacks: bad.chargebacks ?? 0,
  fraudLabels: bad.fraudLabels ?? 0,
});
const ring = (linked: RingNeighbour[], identifiers: RingNeighbourhood['identifiers'] = [{ kind: 'address', sharedWith: linked.length }]) => ({ derived: { ring: { identifiers, linked } } });

new SignalTester({ describe, it }).run(fraudRing, {
  hits: [
    {
      name: 'shares address, device and payment with a customer who filed a chargeback',
      ctx: orderContext(order, ring([neighbour(2, ['address', 'device', 'payment'], { chargebacks: 1 })])),
      strength: 0.8,
      evidence: { linked: 1, flagged: 1, kinds: 'address, device, payment', linkedIds: ['gid://shopify/Customer/2'] },
    },
    {
      name: 'shares only an address with a confirmed fraudster: moderate',
      ctx: orderContext(order, ring([neighbour(2, ['address'], { fraudLabels: 1 })])),
      strength: 0.5,
    },
    {
      name: 'three flagged neighbours add up',
      ctx: refundContext(undefined, order, ring([neighbour(2, ['device', 'payment'], { chargebacks: 1 }), neighbour(3, ['device'], { chargebacks: 2 }), neighbour(4, ['payment'], { fraudLabels: 1 })])),
      strength: 1,
      message: /3 customer\(s\) who had chargebacks/,
    },
    {
      name: 'two other accounts sharing device and payment, no bad history yet: a cluster',
      ctx: orderContext(order, ring([neighbour(2, ['device', 'payment']), neighbour(3, ['address', 'device'])])),
      strength: 0.5,
      messageId: 'cluster',
      evidence: { strong: 2 },
    },
  ],
  quiet: [
    {
      name: 'a household: one other account sharing the address, no bad history',
      ctx: orderContext(order, ring([neighbour(2, ['address'])])),
      messageId: 'none',
      evidence: { linked: 1, flagged: 0 },
    },
    {
      name: 'a chargeback customer linked only through a hub identifier (a warehouse shared by 30)',
      ctx: orderContext(order, ring([neighbour(2, ['address'], { chargebacks: 3 }, 30)], [{ kind: 'address', sharedWith: 30 }])),
      evidence: { linked: 0, hubsIgnored: 1 },
    },
    {
      name: 'a stricter minKinds keeps the same two accounts out of a cluster',
      ctx: orderContext(order, ring([neighbour(2, ['device', 'payment']), neighbour(3, ['address', 'device'])])),
      params: { minKinds: 3 },
    },
    { name: 'identifiers nobody else used', ctx: orderContext(order, ring([], [{ kind: 'email', sharedWith: 0 }])), evidence: { linked: 0, kinds: 'nothing' } },
  ],
  insufficient: [
    { name: 'no identifier hashes at all (e.g. an import without them)', ctx: orderContext(order, ring([], [])), messageId: 'noIdentifiers' },
    { name: 'no ring facts in the context', ctx: orderContext(order), messageId: 'noFacts' },
  ],
});
