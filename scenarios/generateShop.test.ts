import { execute, parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import type { HistoryEvent } from '../engine/history/index.ts';
import { paymentIdentityOf, type OrderRecord, type ReturnRecord, type TransactionRecord } from '../sdk/index.ts';
import { ipFacts } from '../server/normalize/ipIntelligence.ts';
import { isDisposableDomain } from '../server/normalize/identityFacts.ts';
import { productFactsOf } from '../server/services/ProductCatalog.ts';
import { readWebhookFixture } from '../server/shopify/fixtures/readWebhookFixture.ts';
import { normalizeWebhook } from '../server/shopify/normalize/normalizeWebhook.ts';
import { parseWebhookBody } from '../server/shopify/normalize/parseWebhookBody.ts';
import { PRODUCT_FACTS } from '../server/shopify/operations.ts';
import { adminSchema, adminSchemaAvailable } from '../server/testing/shopifyDouble.ts';
import { CATALOG, salePrice } from './catalog.ts';
import { ABUSIVE_PATTERNS, GENERATED_SHOP_KEY, generateShop, type Delivery } from './generateShop.ts';
import { DISPOSABLE_DOMAINS } from './people.ts';
import { IP_BLOCKS } from './publicIps.ts';

const shop = generateShop({ seed: 11, customers: 300 });
const labelOf = new Map(shop.labels.map((l) => [l.subjectId, l]));
const recordOf = (e: HistoryEvent) => (e as unknown as Record<string, { id: string }>)[e.type]!;
const ordersOf = (events: readonly HistoryEvent[]) => events.flatMap((e) => (e.type === 'order' ? [e.order] : []));
const bodyOf = (d: Delivery) => d.body as Record<string, any>;
const normalize = (d: Delivery, order?: OrderRecord) => normalizeWebhook(d.topic, JSON.stringify(d.body), GENERATED_SHOP_KEY, { triggeredAt: d.at, ...(order ? { order } : {}) });

/** The keys of an object that Shopify's sample of the same object does not have. */
function unknownKeys(body: object, sample: object): string[] {
  return Object.keys(body).filter((key) => !Object.hasOwn(sample, key));
}
const sample = (name: Parameters<typeof readWebhookFixture>[0]) => parseWebhookBody(readWebhookFixture(name), name) as Record<string, any>;

describe('generateShop', () => {
  it('is deterministic for a seed and differs between seeds', () => {
    const again = generateShop({ seed: 11, customers: 300 });
    expect(JSON.stringify(again)).toBe(JSON.stringify(shop));
    expect(JSON.stringify(generateShop({ seed: 12, customers: 300 }).deliveries)).not.toBe(JSON.stringify(shop.deliveries));
  });

  it('labels every scored event, with every abuse pattern and honest customers present', () => {
    const scored = shop.events.filter((e) => e.type === 'order' || e.type === 'return' || e.type === 'refund');
    expect(shop.labels).toHaveLength(scored.length);
    for (const e of scored) expect(labelOf.has(recordOf(e).id), recordOf(e).id).toBe(true);
    const patterns = new Set(shop.labels.map((l) => l.pattern));
    for (const pattern of [...ABUSIVE_PATTERNS, 'honest', 'honest-heavy-returner'] as const) expect(patterns).toContain(pattern);
    for (const pattern of ABUSIVE_PATTERNS) expect(shop.labels.some((l) => l.pattern === pattern && l.target)).toBe(true);
    expect(shop.labels.filter((l) => l.pattern === 'honest' || l.pattern === 'honest-heavy-returner').every((l) => !l.target)).toBe(true);
  });

  it('injects the patterns it claims, through what the bodies carry', () => {
    const orders = ordersOf(shop.events);
    const ringOrders = orders.filter((o) => labelOf.get(o.id)?.pattern === 'fraud-ring');
    const ringCustomers = new Set(ringOrders.map((o) => o.customerId));
    expect(ringCustomers.size).toBeGreaterThan(1);
    // Fraud-ring members share the drop address, the browser and the card (the card reaches the order from its transaction).
    for (const kind of ['address', 'device', 'payment'] as const) {
      expect(new Set(ringOrders.map((o) => o.identity[kind])).size, kind).toBe(1);
      expect(ringOrders[0]!.identity[kind]).toBeDefined();
    }
    // ... from abroad, on throwaway emails, and their card fails the address check.
    for (const o of ringOrders) {
      expect(['NG', 'RU', 'VN']).toContain(o.browserIpCountryCode);
      expect(o.emailDomainDisposable).toBe(true);
    }
    const ringTransactions = shop.events.flatMap((e) => (e.type === 'transaction' && ringOrders.some((o) => o.id === e.transaction.orderId) ? [e.transaction] : []));
    expect(ringTransactions.every((t) => t.avsResultCode === 'N' && t.status === 'success')).toBe(true);
    // No one else shares any of them: honest buyers each have their own email, address, browser, IP and card.
    const others = orders.filter((o) => !ringCustomers.has(o.customerId));
    for (const kind of ['email', 'address', 'device', 'ip', 'payment'] as const) {
      const owners = new Map<string, Set<string>>();
      for (const o of others) if (o.identity[kind]) owners.set(o.identity[kind]!, (owners.get(o.identity[kind]!) ?? new Set()).add(o.customerId!));
      expect([...owners.values()].every((set) => set.size === 1), kind).toBe(true);
      for (const o of ringOrders) expect(owners.has(o.identity[kind] ?? 'none'), kind).toBe(false);
    }
    // Some honest customers pay with a second card of their own.
    const cardsPerCustomer = new Map<string, Set<string>>();
    for (const o of others) if (o.identity.payment) cardsPerCustomer.set(o.customerId!, (cardsPerCustomer.get(o.customerId!) ?? new Set()).add(o.identity.payment));
    expect([...cardsPerCustomer.values()].some((cards) => cards.size === 2)).toBe(true);
    expect([...cardsPerCustomer.values()].every((cards) => cards.size <= 2)).toBe(true);
    // Bracketers order one product in three sizes and send back two.
    const bracketReturns = shop.events.filter((e) => e.type === 'return' && labelOf.get(e.return.id)?.pattern === 'bracketer');
    expect(bracketReturns.length).toBeGreaterThan(0);
    for (const e of bracketReturns) if (e.type === 'return') expect(e.return.lineItems).toHaveLength(2);
    // Double dippers dispute an order and then return it.
    const disputed = new Set(shop.events.flatMap((e) => (e.type === 'chargeback' ? [e.chargeback.orderId] : [])));
    const dips = shop.events.filter((e) => e.type === 'return' && labelOf.get(e.return.id)?.pattern === 'double-dipper' && labelOf.get(e.return.id)?.target);
    expect(dips.length).toBeGreaterThan(0);
    for (const e of dips) if (e.type === 'return') expect(disputed.has(e.return.orderId)).toBe(true);
    // Wardrobers' returns are of worn goods (the type comes from the product facts).
    const wardrobed = shop.events.flatMap((e) => (e.type === 'return' && labelOf.get(e.return.id)?.pattern === 'wardrober' ? [e.return] : []));
    const lineType = new Map(orders.flatMap((o) => o.lineItems.map((l) => [l.id, l.productType] as const)));
    for (const r of wardrobed) expect(['Dress', 'Suit', 'Blazer', 'Heels', 'Handbag', 'Jewelry', 'Watch']).toContain(lineType.get(r.lineItems[0]!.lineItemId));
  });

  it("writes Shopify's webhook shapes: every key of every body is one Shopify's own sample of the topic has, in time order", () => {
    const samples = {
      'orders/create': sample('orders_create'),
      'order_transactions/create': sample('order_transactions_create'),
      'fulfillments/create': sample('fulfillments_create'),
      'fulfillments/update': sample('fulfillments_create'),
      'returns/request': sample('returns_request'),
      'returns/close': sample('returns_close'),
      'refunds/create': sample('refunds_create'),
      'disputes/create': sample('disputes_create'),
    } as Record<string, Record<string, any>>;
    expect(new Set(shop.deliveries.map((d) => d.topic))).toEqual(new Set(Object.keys(samples)));
    const times = shop.deliveries.map((d) => Date.parse(d.at));
    expect(times.every((t, i) => i === 0 || t >= times[i - 1]!)).toBe(true);
    for (const d of shop.deliveries) {
      const body = bodyOf(d);
      const s = samples[d.topic]!;
      expect(unknownKeys(body, s), d.topic).toEqual([]);
      if (d.topic === 'orders/create') {
        expect(unknownKeys(body.customer, s.customer)).toEqual([]);
        expect(unknownKeys(body.customer.default_address, s.customer.default_address)).toEqual([]);
        expect(unknownKeys(body.shipping_address, s.shipping_address)).toEqual([]);
        for (const line of body.line_items) expect(unknownKeys(line, s.line_items[0])).toEqual([]);
        expect(unknownKeys(body.shipping_lines[0], s.shipping_lines[0])).toEqual([]);
        expect(Object.keys(body.client_details).sort()).toEqual(['accept_language', 'browser_height', 'browser_ip', 'browser_width', 'session_hash', 'user_agent']);
      }
      if (d.topic === 'order_transactions/create') {
        expect(unknownKeys(body.payment_details, s.payment_details)).toEqual([]);
        expect(body.payment_details.credit_card_number).toMatch(/^•••• •••• •••• \d{4}$/);
      }
      if (d.topic === 'refunds/create') {
        for (const line of body.refund_line_items) expect(unknownKeys(line, s.refund_line_items[0])).toEqual([]);
        for (const t of body.transactions) expect(unknownKeys(t, s.transactions[0])).toEqual([]);
      }
    }
    // Real addresses carry coordinates, and the customer's account exists before its orders.
    for (const d of shop.deliveries.filter((x) => x.topic === 'orders/create')) {
      const body = bodyOf(d);
      expect(typeof body.shipping_address.latitude).toBe('number');
      expect(Date.parse(body.customer.created_at)).toBeLessThan(Date.parse(body.created_at));
    }
  });

  it('carries no product type or compare-at price in any body: they come only as the Admin API’s ProductFacts answers', () => {
    const text = shop.deliveries.map((d) => JSON.stringify(d.body)).join('\n');
    expect(text).not.toMatch(/product_?type|compare_?at/i);
    for (const o of ordersOf(shop.stored)) for (const line of o.lineItems) expect(line.productType ?? line.compareAtPrice).toBeUndefined();
    // The answers give each product its type, and a compare-at price to the variants of products sold on sale.
    const facts = shop.products.flatMap((a) => a.data.nodes.map((n) => productFactsOf(n)!));
    expect(facts.map((f) => f.productId)).toEqual(CATALOG.map((p) => p.id));
    for (const product of CATALOG) {
      const f = facts.find((x) => x.productId === product.id)!;
      expect(f.productType).toBe(product.productType);
      expect(Object.values(f.compareAt)).toEqual(product.onSaleShare > 0 ? product.variants.map(() => product.price) : []);
    }
  });

  it.skipIf(!adminSchemaAvailable())('answers ProductFacts exactly as the Admin GraphQL 2026-07 schema executes the operation', async () => {
    const nodes = new Map(shop.products.flatMap((a) => a.data.nodes).map((n) => [n.id, { __typename: 'Product', ...n }]));
    const ids = [...nodes.keys()];
    const result = await execute({ schema: adminSchema(), document: parse(PRODUCT_FACTS), variableValues: { ids }, rootValue: { nodes: ({ ids: wanted }: { ids: string[] }) => wanted.map((id) => nodes.get(id) ?? null) } });
    expect(result.errors).toBeUndefined();
    expect(result.data).toEqual(shop.products[0]!.data);
  });

  it("is what the app's normalizers make of the bodies, and nothing else", () => {
    // Every body normalizes (no refusal, nothing ignored).
    const byResource = new Map<string, HistoryEvent>();
    const orders = new Map<string, OrderRecord>();
    for (const d of shop.deliveries) {
      const body = bodyOf(d);
      const orderId = body.order?.admin_graphql_api_id ?? (body.order_id ? `gid://shopify/Order/${body.order_id}` : undefined);
      const w = normalize(d, orderId ? orders.get(orderId) : undefined);
      switch (w.kind) {
        case 'order':
          orders.set(w.order.id, w.order);
          byResource.set(w.order.id, { type: 'order', order: w.order });
          byResource.set(w.customer!.id, { type: 'customer', customer: w.customer! });
          break;
        case 'transaction': byResource.set(w.transaction.id, { type: 'transaction', transaction: w.transaction }); break;
        case 'fulfillment': byResource.set(w.fulfillment.id, { type: 'fulfillment', fulfillment: w.fulfillment }); break;
        case 'refund': byResource.set(w.refund.id, { type: 'refund', refund: w.refund }); break;
        case 'dispute': byResource.set(w.chargeback.id, { type: 'chargeback', chargeback: w.chargeback }); break;
        case 'return': {
          const before = byResource.get(w.return.id) as { return: ReturnRecord } | undefined;
          expect(w.complete).toBe(d.topic === 'returns/request');
          byResource.set(w.return.id, { type: 'return', return: w.complete ? w.return : { ...before!.return, status: w.return.status, closedAt: w.return.closedAt } });
          break;
        }
        default:
          throw new Error(`${d.topic} normalized to ${w.kind}`);
      }
    }
    // The stored history is exactly those records, one per resource; an order adds only the card
    // that paid it (what the database's trigger gives a stored order from its transactions).
    const transactions = new Map<string, TransactionRecord[]>();
    for (const e of byResource.values()) if (e.type === 'transaction') transactions.set(e.transaction.orderId, [...(transactions.get(e.transaction.orderId) ?? []), e.transaction]);
    expect(shop.stored).toHaveLength(byResource.size);
    for (const e of shop.stored) {
      const normalized = byResource.get(recordOf(e).id)!;
      if (e.type !== 'order' || normalized.type !== 'order') {
        expect(e, recordOf(e).id).toEqual(normalized);
        continue;
      }
      const payment = paymentIdentityOf(transactions.get(e.order.id) ?? []);
      expect(payment).toBeDefined();
      expect(e.order).toEqual({ ...normalized.order, identity: { ...normalized.order.identity, payment } });
    }
    // The context view differs only where the app adds to a stored order: its lines' product facts.
    const product = new Map(CATALOG.map((p) => [p.id, p]));
    expect(shop.events).toHaveLength(shop.stored.length);
    shop.events.forEach((e, i) => {
      const s = shop.stored[i]!;
      if (e.type !== 'order' || s.type !== 'order') return expect(e).toBe(s);
      const { lineItems, ...rest } = e.order;
      const { lineItems: storedLines, ...storedRest } = s.order;
      expect(rest).toEqual(storedRest);
      lineItems.forEach((line, j) => {
        const p = product.get(line.productId!)!;
        const sold = line.price === salePrice(p) && p.onSaleShare > 0 && salePrice(p) < p.price;
        expect(line).toEqual({ ...storedLines[j], productType: p.productType, ...(sold ? { compareAtPrice: p.price } : {}) });
      });
    });
    // A customer is known by what the order body says of them: email, phone, address; never a device, IP or card.
    for (const e of shop.stored) if (e.type === 'customer') for (const kind of Object.keys(e.customer.identity)) expect(['email', 'phone', 'address']).toContain(kind);
  });

  it("gives each order a real public IP of the buyer's country, placed by the app's IP data", () => {
    const blocks = IP_BLOCKS.map((b) => `${b.network.split('.').slice(0, 2).join('.')}.`);
    for (const d of shop.deliveries.filter((x) => x.topic === 'orders/create')) {
      const body = bodyOf(d);
      const ring = labelOf.get(body.admin_graphql_api_id)?.pattern === 'fraud-ring';
      expect(blocks.some((b) => body.browser_ip.startsWith(b))).toBe(true);
      expect(ipFacts(body.browser_ip)).toMatchObject({ countryCode: ring ? expect.stringMatching(/^(NG|RU|VN)$/) : 'US', hosting: false });
      expect(body.client_details.browser_ip).toBe(body.browser_ip);
    }
    for (const o of ordersOf(shop.events)) {
      expect(o.browserIpHosting).toBe(false);
      // At home: within a few km of the country's borders (an address rounded to 0.1° may fall just offshore).
      if (labelOf.get(o.id)?.pattern === 'fraud-ring') expect(o.browserIpShippingMinKm).toBeGreaterThan(5000);
      else expect(o.browserIpShippingMinKm).toBeLessThan(25);
    }
    expect(DISPOSABLE_DOMAINS.every((domain) => isDisposableDomain(domain))).toBe(true);
  });

  describe('honest households (the household trap)', () => {
    const withHouseholds = generateShop({ seed: 11, customers: 300, households: 6 });
    const householdLabels = withHouseholds.labels.filter((l) => l.pattern === 'honest-household');
    const members = new Set(householdLabels.map((l) => l.customerId));
    const orderOf = (d: Delivery): number | undefined => {
      const body = bodyOf(d);
      return d.topic === 'orders/create' ? body.id : (body.order_id ?? body.order?.id);
    };
    /** The bodies with the shop's order numbers left out (#1001…: they count every order, households' too). */
    const unnumbered = (deliveries: readonly Delivery[]) =>
      JSON.stringify(deliveries).replace(/"(name|number|order_number|payment_id)":("[^"]*"|\d+)/g, '"$1":_');

    it("leaves every other customer's draws as they were: the same labels, bodies and times, but for the order numbers", () => {
      expect(members.size).toBeGreaterThanOrEqual(12);
      const householdOrders = new Set(withHouseholds.deliveries.filter((d) => d.topic === 'orders/create' && members.has(bodyOf(d).customer.admin_graphql_api_id)).map((d) => bodyOf(d).id as number));
      expect(householdOrders.size).toBeGreaterThan(10);
      const others = withHouseholds.deliveries.filter((d) => !householdOrders.has(orderOf(d)!));
      expect(others).toHaveLength(shop.deliveries.length);
      expect(unnumbered(others)).toBe(unnumbered(shop.deliveries));
      expect(withHouseholds.labels.filter((l) => l.pattern !== 'honest-household')).toEqual(shop.labels);
      // The default is none: a shop generated without the option is the shop as it was.
      expect(JSON.stringify(generateShop({ seed: 11, customers: 300, households: 0 }))).toBe(JSON.stringify(shop));
    });

    it('gives each household one address, the family browser and the home IP, spouses often one card; labelled honest, never a target', () => {
      expect(householdLabels.every((l) => !l.target)).toBe(true);
      expect(ABUSIVE_PATTERNS.has('honest-household')).toBe(false);
      const orders = ordersOf(withHouseholds.events).filter((o) => members.has(o.customerId!));
      // Households: the members who share an address.
      const byAddress = new Map<string, typeof orders>();
      for (const o of orders) byAddress.set(o.identity.address!, [...(byAddress.get(o.identity.address!) ?? []), o]);
      const households = [...byAddress.values()].map((list) => ({ orders: list, members: new Set(list.map((o) => o.customerId)) }));
      expect(households.length).toBe(6);
      let sharedCards = 0;
      let quickFirstOrders = 0;
      for (const h of households) {
        expect(h.members.size).toBeGreaterThanOrEqual(2);
        const emails = new Set(h.orders.map((o) => `${o.customerId} ${o.identity.email}`));
        expect(new Set([...emails].map((e) => e.split(' ')[1])).size).toBe(h.members.size);
        // The family browser and the home IP: every member used them.
        const usersOf = (kind: 'device' | 'ip') => {
          const users = new Map<string, Set<string>>();
          for (const o of h.orders) users.set(o.identity[kind]!, (users.get(o.identity[kind]!) ?? new Set()).add(o.customerId!));
          return Math.max(...[...users.values()].map((u) => u.size));
        };
        expect(usersOf('device')).toBe(h.members.size);
        expect(usersOf('ip')).toBe(h.members.size);
        const cardUsers = new Map<string, Set<string>>();
        for (const o of h.orders) cardUsers.set(o.identity.payment!, (cardUsers.get(o.identity.payment!) ?? new Set()).add(o.customerId!));
        if ([...cardUsers.values()].some((u) => u.size > 1)) sharedCards++;
      }
      for (const d of withHouseholds.deliveries.filter((x) => x.topic === 'orders/create' && members.has(bodyOf(x).customer.admin_graphql_api_id))) {
        const minutes = (Date.parse(bodyOf(d).created_at) - Date.parse(bodyOf(d).customer.created_at)) / 60_000;
        expect(minutes).toBeGreaterThan(0);
        if (minutes <= 40) quickFirstOrders++;
      }
      expect(sharedCards).toBeGreaterThan(0);
      expect(sharedCards).toBeLessThan(households.length);
      // Some join at checkout: an account opened minutes before its first order, on the family browser.
      expect(quickFirstOrders).toBeGreaterThan(0);
      // And nobody outside the household shares what it shares.
      const outside = ordersOf(withHouseholds.events).filter((o) => !members.has(o.customerId!) && labelOf.get(o.id)?.pattern !== 'fraud-ring');
      for (const kind of ['address', 'device', 'ip', 'payment'] as const) {
        const theirs = new Set(orders.map((o) => o.identity[kind]));
        expect(outside.some((o) => theirs.has(o.identity[kind])), kind).toBe(false);
      }
    });
  });
});
