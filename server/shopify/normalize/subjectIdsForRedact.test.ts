import { describe, expect, it } from 'vitest';
import { emailFacts, keyedHash } from '../../normalize/identityFacts.ts';
import { thrownBy } from '../fixtures/thrownBy.ts';
import { variant } from '../fixtures/webhookVariants.ts';
import { PayloadError } from './PayloadError.ts';
import { subjectIdsForDataRequest, subjectIdsForRedact } from './subjectIdsForRedact.ts';

const ORDERS = ['gid://shopify/Order/299938', 'gid://shopify/Order/280263', 'gid://shopify/Order/220458'];

describe('compliance subjects', () => {
  it('names the customer and orders to erase, with hashed identifiers only', () => {
    expect(subjectIdsForRedact(variant('customers_redact'), 'k')).toEqual({
      shopDomain: '{shop}.myshopify.com',
      shopId: 'gid://shopify/Shop/954889',
      customerId: 'gid://shopify/Customer/191167',
      orderIds: ORDERS,
      identity: { email: emailFacts('k', 'john@example.com')!.hash, phone: keyedHash('k', 'phone', '5556251199') },
    });
    expect(subjectIdsForRedact(variant('customers_redact'))).toMatchObject({ identity: {} });
  });

  it('names the shop to erase', () => {
    expect(subjectIdsForRedact(variant('shop_redact'))).toEqual({ shopDomain: '{shop}.myshopify.com', shopId: 'gid://shopify/Shop/954889' });
  });

  it('names the customer, orders and request of a data request', () => {
    expect(subjectIdsForDataRequest(variant('customers_data_request'))).toMatchObject({
      customerId: 'gid://shopify/Customer/191167',
      orderIds: ORDERS,
      dataRequestId: '9999',
    });
  });

  it('refuses bodies missing what must be erased', () => {
    expect(thrownBy(() => subjectIdsForRedact(variant('customers_redact', (b) => delete b.orders_to_redact)))).toMatchObject({
      topic: 'customers/redact',
      pointer: '/orders_to_redact',
    });
    // As many order ids as fit in a body (the stores pass them as one array parameter; 70,000 bound one by one were a 500).
    const many = Array.from({ length: 70_000 }, (_, i) => 1_000_000 + i);
    const subjects = subjectIdsForRedact(variant('customers_redact', (b) => (b.orders_to_redact = many)));
    expect('orderIds' in subjects && subjects.orderIds).toHaveLength(70_000);
    const error = thrownBy(() => subjectIdsForRedact(variant('shop_redact', (b) => (b.shop_domain = ''))));
    expect(error).toBeInstanceOf(PayloadError);
    expect(error).toMatchObject({ topic: 'shop/redact', pointer: '/shop_domain' });
  });
});
