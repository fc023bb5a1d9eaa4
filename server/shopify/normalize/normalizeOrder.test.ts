import { describe, expect, it } from 'vitest';
import { emailFacts, keyedHash } from '../../normalize/identityFacts.ts';
import { thrownBy } from '../fixtures/thrownBy.ts';
import { PLANTED_PII, richOrder, variant } from '../fixtures/webhookVariants.ts';
import { normalizeOrder, splitTags } from './normalizeOrder.ts';
import { normalizePhone } from './identityHashes.ts';
import { PayloadError } from './PayloadError.ts';

const KEY = 'shop-key';

describe('normalizeOrder on the orders/create sample', () => {
  const { order, customer } = normalizeOrder(variant('orders_create'), KEY);

  it('keys everything on GraphQL ids, built losslessly', () => {
    expect(order.id).toBe('gid://shopify/Order/820982911946154508');
    expect(order.customerId).toBe('gid://shopify/Customer/115310627314723954');
    expect(order.lineItems.map((line) => line.id)).toEqual([
      'gid://shopify/LineItem/487817672276298554',
      'gid://shopify/LineItem/789012345678901234',
      'gid://shopify/LineItem/890123456789012345',
      'gid://shopify/LineItem/976318377106520349',
      'gid://shopify/LineItem/315789986012684393',
    ]);
    expect(order.lineItems[0]!.productId).toBe('gid://shopify/Product/788032119674292922');
    expect(order.lineItems[1]!.productId).toBeUndefined();
    expect(order.lineItems[0]!.variantId).toBeUndefined();
  });

  it('reads shop-currency money (before returns) as numbers', () => {
    expect(order).toMatchObject({
      currency: 'USD',
      totalPrice: 404.95,
      subtotalPrice: 404.95,
      totalDiscounts: 20,
      totalShipping: 10,
    });
    expect(order.lineItems.map((line) => line.price)).toEqual([89.99, 19.99, 24.99, 159.99, 119.99]);
    expect(order.lineItems.every((line) => line.totalDiscount === 0)).toBe(true);
  });

  it('keeps the order facts signals read', () => {
    expect(order).toMatchObject({
      name: '#9999',
      createdAt: '2021-12-31T19:00:00-05:00',
      processedAt: '2021-12-31T19:00:00-05:00',
      cancelledAt: '2021-12-31T19:00:00-05:00',
      financialStatus: 'voided',
      sourceName: 'web',
      gateways: ['visa', 'bogus'],
      discountCodes: [],
      tags: ['tag1', 'tag2'],
      emailDomainDisposable: false,
    });
    expect(order.browserIpCountryCode).toBeUndefined();
    expect(order.lineItems[0]).toEqual({
      id: 'gid://shopify/LineItem/487817672276298554',
      productId: 'gid://shopify/Product/788032119674292922',
      sku: 'SKU2006-001',
      title: 'Aviator sunglasses',
      quantity: 1,
      price: 89.99,
      totalDiscount: 0,
      giftCard: false,
      requiresShipping: true,
    });
    expect(order.shippingLines).toEqual([{ title: 'Generic Shipping', price: 10, speed: 'unknown' }]);
  });

  it('generalizes addresses and hashes the full one', () => {
    const hash = keyedHash(KEY, 'address', '123 shipping street|shippington|40003|ky|us');
    expect(order.shippingAddress).toEqual({ countryCode: 'US', provinceCode: 'KY', postcodePrefix: '400', hash });
    expect(order.billingAddress).toEqual(order.shippingAddress);
  });

  it('hashes the buyer identifiers with the shop key', () => {
    expect(order.identity).toEqual({
      email: emailFacts(KEY, 'jon@example.com')!.hash,
      // "555-555-SHIP" from the billing address, letters read as keypad digits.
      phone: keyedHash(KEY, 'phone', '5555557447'),
      address: keyedHash(KEY, 'address', '123 shipping street|shippington|40003|ky|us'),
    });
    expect(normalizeOrder(variant('orders_create'), 'another-shop').order.identity.email).not.toBe(order.identity.email);
  });

  it('snapshots the customer without names, emails, phones or addresses, with its account state', () => {
    expect(customer).toEqual({
      id: 'gid://shopify/Customer/115310627314723954',
      tags: [],
      // The sample's "state": "disabled": a record the checkout made, no account opened.
      accountState: 'disabled',
      identity: {
        email: emailFacts(KEY, 'john@example.com')!.hash,
        phone: keyedHash(KEY, 'phone', '1231231234'),
        address: keyedHash(KEY, 'address', '123 elm st|ottawa|k2h7a8|on|ca'),
      },
    });
  });
});

describe('normalizeOrder on variations', () => {
  it('hashes the browser IP and device, rounds coordinates, sums line discounts, infers speed', () => {
    const { order } = normalizeOrder(richOrder(), KEY);
    expect(order.identity.ip).toBe(keyedHash(KEY, 'ip', PLANTED_PII.browserIp));
    expect(order.identity.device).toBe(keyedHash(KEY, 'device', `${PLANTED_PII.userAgent}|en-gb`));
    expect(order.browserIpCountryCode).toBeUndefined();
    expect(order.discountCodes).toEqual(['WELCOME10']);
    expect(order.shippingAddress).toMatchObject({ latitude: 38.3, longitude: -85.8 });
    expect(order.shippingLines[0]!.speed).toBe('overnight');
    expect(order.lineItems[0]).toMatchObject({
      variantId: 'gid://shopify/ProductVariant/49148385',
      variantTitle: 'Gold / Large',
      quantity: 2,
      totalDiscount: 5,
    });
  });

  it('takes the IP from client_details when browser_ip is absent, and hashes no device without a user agent', () => {
    const { order } = normalizeOrder(variant('orders_create', (o) => {
      o.client_details = { browser_ip: '198.51.100.4', user_agent: null };
    }), KEY);
    expect(order.identity.ip).toBe(keyedHash(KEY, 'ip', '198.51.100.4'));
    expect(order.identity.device).toBeUndefined();
  });

  it('judges the browser IP offline (country, AS, hosting, distance from its country) and keeps no IP', () => {
    const browserIp = '193.0.6.139'; // RIPE NCC's own web server, Amsterdam
    const { order } = normalizeOrder(variant('orders_create', (o) => {
      o.browser_ip = browserIp;
      o.client_details = { browser_ip: browserIp, user_agent: PLANTED_PII.userAgent, accept_language: 'nl-NL' };
      o.shipping_address.latitude = 38.2527; // Louisville, Kentucky
      o.shipping_address.longitude = -85.7585;
      o.billing_address.latitude = null;
    }), KEY);
    expect(order).toMatchObject({ browserIpCountryCode: 'NL', browserIpAsn: 3333, browserIpHosting: false });
    expect(order.browserIpNetwork).toBeUndefined(); // only a hosting network's name is kept
    // Amsterdam to Louisville is about 6,900 km; the nearest Dutch border (the North Sea) a little less.
    expect(order.browserIpShippingMinKm).toBeGreaterThan(6_000);
    expect(order.browserIpShippingMinKm).toBeLessThan(7_000);
    expect(order.browserIpBillingMinKm).toBeUndefined(); // no billing coordinates
    expect(order.identity.ip).toBe(keyedHash(KEY, 'ip', browserIp));
    expect(JSON.stringify(order)).not.toContain(browserIp);
    expect(JSON.stringify(order)).not.toContain('193.0.6');
  });

  it('names a hosting network and puts an address in the IP country at distance 0 (IPv6 too)', () => {
    for (const browserIp of ['8.8.8.8', '2001:4860:4860::8888']) {
      const { order } = normalizeOrder(variant('orders_create', (o) => {
        o.browser_ip = null;
        o.client_details = { browser_ip: browserIp };
        o.shipping_address.latitude = 38.2527;
        o.shipping_address.longitude = -85.7585;
      }), KEY);
      expect(order).toMatchObject({
        browserIpCountryCode: 'US',
        browserIpAsn: 15169,
        browserIpHosting: true,
        browserIpNetwork: 'Google LLC',
        browserIpShippingMinKm: 0,
      });
      expect(JSON.stringify(order)).not.toContain(browserIp);
    }
  });

  it('judges nothing from a private, documentation or malformed IP, though it still hashes it', () => {
    for (const browserIp of ['10.0.0.7', PLANTED_PII.browserIp, '2001:db8::77', 'not-an-ip']) {
      const { order } = normalizeOrder(variant('orders_create', (o) => {
        o.browser_ip = browserIp;
      }), KEY);
      expect(order.identity.ip).toBe(keyedHash(KEY, 'ip', browserIp));
      for (const field of ['browserIpCountryCode', 'browserIpAsn', 'browserIpHosting', 'browserIpShippingMinKm'] as const) {
        expect(order[field], `${browserIp} ${field}`).toBeUndefined();
      }
    }
  });

  it("keys the device on the window's width when Shopify measured it, never on its height", () => {
    const device = (details: Record<string, unknown>) =>
      normalizeOrder(variant('orders_create', (o) => {
        o.client_details = { user_agent: PLANTED_PII.userAgent, accept_language: 'en-US', ...details };
      }), KEY).order.identity.device;
    expect(device({ browser_width: 393, browser_height: 659 })).toBe(keyedHash(KEY, 'device', `${PLANTED_PII.userAgent}|en-us|w393`));
    expect(device({ browser_width: 393, browser_height: 702 })).toBe(device({ browser_width: 393, browser_height: 659 }));
    expect(device({ browser_width: 430 })).not.toBe(device({ browser_width: 393 }));
    // Without a width the key is what it was before widths were read: stored hashes still match.
    expect(device({ browser_width: null, browser_height: null })).toBe(keyedHash(KEY, 'device', `${PLANTED_PII.userAgent}|en-us`));
    expect(device({})).toBe(device({ browser_width: null }));
  });

  it('judges a disposable email domain and keeps only the judgement', () => {
    const { order } = normalizeOrder(variant('orders_create', (o) => {
      o.email = 'burner@mailinator.com';
    }), KEY);
    expect(order.emailDomainDisposable).toBe(true);
    expect(JSON.stringify(order)).not.toContain('mailinator');
  });

  it('handles a guest checkout with no addresses', () => {
    const { order, customer } = normalizeOrder(variant('orders_create', (o) => {
      o.customer = null;
      o.email = null;
      o.contact_email = null;
      o.shipping_address = null;
      o.billing_address = null;
      o.cancelled_at = null;
      o.tags = '';
    }), KEY);
    expect(customer).toBeNull();
    expect(order.customerId).toBeNull();
    expect(order.cancelledAt).toBeNull();
    expect(order.identity).toEqual({});
    expect(order.shippingAddress).toBeUndefined();
    expect(order.emailDomainDisposable).toBeUndefined();
    expect(order.tags).toEqual([]);
  });

  it('builds GIDs from numeric ids when admin_graphql_api_id is missing on a line', () => {
    const { order } = normalizeOrder(variant('orders_create', (o) => {
      delete o.line_items[0].admin_graphql_api_id;
    }), KEY);
    expect(order.lineItems[0]!.id).toBe('gid://shopify/LineItem/487817672276298554');
  });

  it('refuses a malformed order with a pointer to the problem', () => {
    const cases: [(o: Record<string, any>) => void, string, RegExp][] = [
      [(o) => delete o.admin_graphql_api_id, '/admin_graphql_api_id', /missing required property/],
      [(o) => (o.admin_graphql_api_id = 'gid://shopify/Product/1'), '/admin_graphql_api_id', /must match pattern/],
      [(o) => (o.line_items[2].quantity = '1'), '/line_items/2/quantity', /must be integer/],
      [(o) => (o.total_price = 'ten'), '/total_price', /must match pattern/],
      [(o) => (o.created_at = 'yesterday'), '/created_at', /must be an ISO 8601 time/],
      [(o) => (o.tags = ['a']), '/tags', /must be string,null/],
      [(o) => (o.client_details = { browser_width: '393' }), '/client_details/browser_width', /must be integer,null/],
      [(o) => (o.client_details = { browser_height: 1e9 }), '/client_details/browser_height', /must be <= 100000/],
      // Values PostgreSQL or the analytics could not take (issue 19): refused, never clamped.
      [(o) => (o.created_at = '2021-02-29T10:00:00Z'), '/created_at', /a real date and time in the years 1970-2099/],
      [(o) => (o.processed_at = '1969-12-31T23:59:59Z'), '/processed_at', /in the years 1970-2099/],
      [(o) => (o.updated_at = '2021-12-31T24:00:00Z'), '/updated_at', /a real date and time/],
      [(o) => (o.line_items[1].quantity = 2 ** 31), '/line_items/1/quantity', /must be <= 2147483647/],
      [(o) => (o.line_items[1].quantity = 1e300), '/line_items/1/quantity', /must be <= 2147483647/],
      [(o) => (o.total_price = 1e14), '/total_price', /must be <= 10000000000000/],
      [(o) => (o.subtotal_price = `9${'9'.repeat(13)}`), '/subtotal_price', /must match pattern/],
      [(o) => (o.id = 1e300), '/id', /must be <= 9007199254740991/],
      [(o) => (o.customer.id = '1'.repeat(21)), '/customer/id', /must match pattern/],
      [(o) => (o.line_items[0].admin_graphql_api_id = `gid://shopify/LineItem/${'1'.repeat(21)}`), '/line_items/0/admin_graphql_api_id', /must match pattern/],
    ];
    for (const [edit, pointer, message] of cases) {
      const error = thrownBy(() => normalizeOrder(variant('orders_create', edit), KEY));
      expect(error).toBeInstanceOf(PayloadError);
      expect(error).toMatchObject({ topic: 'orders/*', pointer });
      expect((error as PayloadError).message).toMatch(message);
    }
  });
});

describe('identifier normalization', () => {
  it('splits comma-joined tags', () => {
    expect(splitTags('tag1, tag2 ,, vip')).toEqual(['tag1', 'tag2', 'vip']);
    expect(splitTags(null)).toEqual([]);
  });

  it('normalizes phone numbers to + and digits', () => {
    expect(normalizePhone('555-555-SHIP')).toBe('5555557447');
    expect(normalizePhone('+1 (613) 555-0100 ext. 12')).toBe('+16135550100');
    expect(normalizePhone('0044 20 7946 0958')).toBe('+442079460958');
    expect(normalizePhone('12-34')).toBeUndefined();
  });
});
