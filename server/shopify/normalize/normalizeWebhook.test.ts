import { describe, expect, it } from 'vitest';
import { fixtureTopic, OTHER_TOPIC_FIXTURES, readWebhookFixture, WEBHOOK_FIXTURES, type WebhookFixture } from '../fixtures/readWebhookFixture.ts';
import { thrownBy } from '../fixtures/thrownBy.ts';
import { returnWithLines, variant } from '../fixtures/webhookVariants.ts';
import { normalizeDispute } from './normalizeDispute.ts';
import { normalizeFulfillment } from './normalizeFulfillment.ts';
import { normalizeOrder } from './normalizeOrder.ts';
import { normalizeRefund } from './normalizeRefund.ts';
import { normalizeReturn } from './normalizeReturn.ts';
import { bodyShopDomain, normalizeWebhook, type NormalizedWebhook } from './normalizeWebhook.ts';
import { PayloadError } from './PayloadError.ts';
import { canonicalTopic, TOPIC_KINDS, type SupportedTopic } from './webhookTopic.ts';

const KEY = 'shop-key';
const TRIGGERED = '2026-03-14T09:30:00Z';
const run = (name: WebhookFixture, topic = fixtureTopic(name)) =>
  normalizeWebhook(topic, readWebhookFixture(name), KEY, { triggeredAt: TRIGGERED });

const EXPECTED: Record<WebhookFixture, { kind: NormalizedWebhook['kind']; resourceId?: string; occurredAt?: string; reason?: string }> = {
  orders_create: { kind: 'order', resourceId: 'gid://shopify/Order/820982911946154508', occurredAt: '2021-12-31T19:00:00-05:00' },
  orders_updated: { kind: 'order', resourceId: 'gid://shopify/Order/820982911946154508', occurredAt: '2021-12-31T19:00:00-05:00' },
  orders_cancelled: { kind: 'order', resourceId: 'gid://shopify/Order/820982911946154508', occurredAt: '2021-12-31T19:00:00-05:00' },
  orders_paid: { kind: 'order', resourceId: 'gid://shopify/Order/820982911946154508', occurredAt: '2021-12-31T19:00:00-05:00' },
  fulfillments_create: { kind: 'fulfillment', resourceId: 'gid://shopify/Fulfillment/123456', occurredAt: '2021-12-31T19:00:00-05:00' },
  returns_request: { kind: 'return', resourceId: 'gid://shopify/Return/123134564567890', occurredAt: TRIGGERED },
  returns_approve: { kind: 'return', resourceId: 'gid://shopify/Return/123134564567890', occurredAt: TRIGGERED },
  returns_close: { kind: 'return', resourceId: 'gid://shopify/Return/123134564567890', occurredAt: TRIGGERED },
  returns_decline: { kind: 'return', resourceId: 'gid://shopify/Return/123134564567890', occurredAt: TRIGGERED },
  returns_cancel: { kind: 'return', resourceId: 'gid://shopify/Return/123134564567890', occurredAt: TRIGGERED },
  returns_reopen: { kind: 'return', resourceId: 'gid://shopify/Return/123134564567890', occurredAt: TRIGGERED },
  refunds_create: { kind: 'refund', resourceId: 'gid://shopify/Refund/890088186047892319', occurredAt: '2021-12-31T19:00:00-05:00' },
  disputes_create: { kind: 'dispute', resourceId: 'gid://shopify/ShopifyPaymentsDispute/285332461850802063', occurredAt: '2021-12-31T19:00:00-05:00' },
  disputes_update: { kind: 'dispute', resourceId: 'gid://shopify/ShopifyPaymentsDispute/285332461850802063', occurredAt: '2021-12-31T19:00:00-05:00' },
  order_transactions_create: { kind: 'transaction', resourceId: 'gid://shopify/OrderTransaction/120560818172775265', occurredAt: '2021-12-31T19:00:00-05:00' },
  // Shopify's sample names no order (every field but the level is null): acknowledged, ignored.
  orders_risk_assessment_changed: { kind: 'ignored', reason: 'risk assessment names no order' },
  customers_data_request: { kind: 'customers/data_request', resourceId: 'gid://shopify/Customer/191167', occurredAt: TRIGGERED },
  customers_redact: { kind: 'customers/redact', resourceId: 'gid://shopify/Customer/191167', occurredAt: TRIGGERED },
  shop_redact: { kind: 'shop/redact', resourceId: 'gid://shopify/Shop/954889', occurredAt: TRIGGERED },
  app_uninstalled: { kind: 'app/uninstalled', resourceId: 'gid://shopify/Shop/548380009', occurredAt: TRIGGERED },
};

describe('normalizeWebhook dispatch', () => {
  it.each(WEBHOOK_FIXTURES)('%s', (name) => {
    expect(run(name)).toMatchObject({ topic: fixtureTopic(name), ...EXPECTED[name] });
  });

  it('accepts the ORDERS_CREATE topic form', () => {
    expect(canonicalTopic('ORDERS_CREATE')).toBe('orders/create');
    expect(canonicalTopic('CUSTOMERS_DATA_REQUEST')).toBe('customers/data_request');
    expect(canonicalTopic('APP_UNINSTALLED')).toBe('app/uninstalled');
    expect(canonicalTopic(' Orders/Paid ')).toBe('orders/paid');
    expect(run('orders_create', 'ORDERS_CREATE')).toEqual(run('orders_create'));
    expect(run('customers_redact', 'CUSTOMERS_REDACT')).toMatchObject({ kind: 'customers/redact', topic: 'customers/redact' });
  });

  it('carries the records the normalizers build', () => {
    expect(run('orders_updated')).toMatchObject(normalizeOrder(variant('orders_updated'), KEY));
    expect(run('fulfillments_create')).toMatchObject({ fulfillment: normalizeFulfillment(variant('fulfillments_create')) });
    expect(run('returns_approve')).toMatchObject({ return: normalizeReturn(variant('returns_approve'), undefined, TRIGGERED) });
    expect(run('refunds_create')).toMatchObject({ refund: normalizeRefund(variant('refunds_create')) });
    expect(run('disputes_update')).toMatchObject({ chargeback: normalizeDispute(variant('disputes_update')) });
  });

  it('ignores topics it does not handle, without reading the body', () => {
    for (const topic of ['products/create', 'PRODUCTS_UPDATE', 'returns/update', 'toString', '']) {
      expect(normalizeWebhook(topic, 'not even json', KEY)).toEqual({ kind: 'ignored', topic: canonicalTopic(topic), reason: 'topic not handled' });
    }
  });

  it('ignores a dispute that names no order', () => {
    const raw = readWebhookFixture('disputes_create').replace('"order_id": 820982911946154508', '"order_id": null');
    expect(normalizeWebhook('disputes/create', raw, KEY)).toMatchObject({ kind: 'ignored', reason: 'dispute names no order' });
  });

  it('marks status-only return bodies incomplete and listed ones complete', () => {
    const close = run('returns_close');
    expect(close).toMatchObject({ kind: 'return', complete: false });
    const listed = normalizeWebhook('returns/request', JSON.stringify(returnWithLines()), KEY, { triggeredAt: TRIGGERED });
    expect(listed).toMatchObject({ kind: 'return', complete: true });
  });

  it('uses the stored order to price return lines and name the refund customer', () => {
    const { order } = normalizeOrder(variant('orders_create'), KEY);
    const ret = normalizeWebhook('returns/request', JSON.stringify(returnWithLines()), KEY, { triggeredAt: TRIGGERED, order });
    expect(ret.kind === 'return' && ret.return.totalValue).toBe(249.98); // 89.99 + 159.99
    const refund = normalizeWebhook('refunds/create', readWebhookFixture('refunds_create'), KEY, { order });
    expect(refund.kind === 'refund' && refund.refund.customerId).toBe('gid://shopify/Customer/115310627314723954');
  });

  it('needs the delivery time for return bodies, which carry none: refused as a bad delivery (400), not thrown as a bug (500)', () => {
    const error = thrownBy(() => normalizeWebhook('returns/close', readWebhookFixture('returns_close'), KEY));
    expect(error).toBeInstanceOf(PayloadError);
    expect((error as Error).message).toMatch(/^returns\/close payload: carries no timestamp .* X-Shopify-Triggered-At/);
  });
});

describe('normalizeWebhook refusals', () => {
  const cases: [string, WebhookFixture, (raw: string) => string, string][] = [
    ['orders/create', 'orders_create', (raw) => raw.slice(0, 200), ''],
    ['orders/create', 'orders_create', () => '[]', ''],
    ['ORDERS_UPDATED', 'orders_updated', (raw) => raw.replace('"currency": "USD"', '"currency": 840'), '/currency'],
    ['fulfillments/create', 'fulfillments_create', (raw) => raw.replace('"quantity": 1', '"quantity": -1'), '/line_items/0/quantity'],
    ['returns/approve', 'returns_approve', (raw) => raw.replace('"status": "open"', '"status": null'), '/status'],
    ['refunds/create', 'refunds_create', (raw) => raw.replace('"refund_line_items": [', '"refund_line_items": {"x": [').replace(/\]\s*,\s*"transactions"/, ']}, "transactions"'), '/refund_line_items'],
    ['disputes/update', 'disputes_update', (raw) => raw.replace('"initiated_at": "2021-12-31T19:00:00-05:00"', '"initiated_at": "31/12/2021"'), '/initiated_at'],
    ['customers/data_request', 'customers_data_request', (raw) => raw.replace('"id": 9999', '"id": "x"'), '/data_request/id'],
    ['customers/redact', 'customers_redact', () => '{"shop_id": 954889, "shop_domain": "{shop}.myshopify.com"}', '/customer'],
    ['app/uninstalled', 'app_uninstalled', () => '{"name": "Super Toys"}', '/id'],
  ];

  it.each(cases)('%s body → PayloadError at %#', (topic, name, corrupt, pointer) => {
    const error = thrownBy(() => normalizeWebhook(topic, corrupt(readWebhookFixture(name)), KEY, { triggeredAt: TRIGGERED }));
    expect(error).toBeInstanceOf(PayloadError);
    expect(error).toMatchObject({ topic: canonicalTopic(topic), pointer });
    expect((error as PayloadError).message).toContain(`${canonicalTopic(topic)} payload`);
  });
});

describe('a signed body resent under another topic (issue 19: the headers are not signed)', () => {
  const kindOf = (topic: string) => TOPIC_KINDS[topic as SupportedTopic] as string | undefined;
  const topics = Object.keys(TOPIC_KINDS) as SupportedTopic[];

  it.each([...WEBHOOK_FIXTURES, ...OTHER_TOPIC_FIXTURES])('the %s sample is refused by every topic of another kind', (name) => {
    const own = kindOf(fixtureTopic(name));
    const accepted = topics.filter((topic) => {
      if (TOPIC_KINDS[topic] === own) return false;
      try {
        normalizeWebhook(topic, readWebhookFixture(name), KEY, { triggeredAt: TRIGGERED });
        return true;
      } catch (error) {
        if (error instanceof PayloadError) return false;
        throw error;
      }
    });
    expect(accepted).toEqual([]);
  });

  it('an order body is no Shop object: app/uninstalled requires the Shop fields', () => {
    const error = thrownBy(() => normalizeWebhook('app/uninstalled', readWebhookFixture('orders_create'), KEY));
    expect(error).toMatchObject({ topic: 'app/uninstalled', pointer: '/myshopify_domain' });
  });

  it('a customers/* body is no shop/redact body, although it has shop_id and shop_domain', () => {
    for (const name of ['customers_redact', 'customers_data_request'] as const) {
      const error = thrownBy(() => normalizeWebhook('shop/redact', readWebhookFixture(name), KEY));
      expect(error).toMatchObject({ topic: 'shop/redact', pointer: '/customer' });
      expect((error as Error).message).toMatch(/must not be present \(a field of another topic's body\)/);
    }
  });

  it("names the shop of compliance and uninstall bodies (checked against the delivery's), and none for the others", () => {
    const shopOf = (name: WebhookFixture, raw = readWebhookFixture(name)) => bodyShopDomain(normalizeWebhook(fixtureTopic(name), raw, KEY, { triggeredAt: TRIGGERED }));
    expect(shopOf('shop_redact')).toBe('{shop}.myshopify.com');
    expect(shopOf('customers_redact')).toBe('{shop}.myshopify.com');
    expect(shopOf('customers_data_request')).toBe('{shop}.myshopify.com');
    expect(shopOf('app_uninstalled')).toBeNull();
    expect(shopOf('app_uninstalled', readWebhookFixture('app_uninstalled').replace('"myshopify_domain": null', '"myshopify_domain": "super-toys.myshopify.com"'))).toBe('super-toys.myshopify.com');
    for (const name of ['orders_create', 'returns_close', 'refunds_create', 'disputes_create', 'fulfillments_create'] as const) expect(shopOf(name)).toBeUndefined();
  });
});
