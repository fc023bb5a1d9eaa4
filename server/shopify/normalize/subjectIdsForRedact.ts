import type { IdentityHashes, ShopifyId } from '../../../sdk/index.ts';
import { emailFacts } from '../../normalize/identityFacts.ts';
import { customersDataRequestPayload, customersRedactPayload, shopRedactPayload, type CustomerCompliancePayload } from './compliancePayloads.ts';
import { phoneHash } from './identityHashes.ts';
import { shopifyGid } from './shopifyGid.ts';

export interface CustomerSubjects {
  shopDomain: string;
  shopId: ShopifyId;
  customerId: ShopifyId;
  orderIds: ShopifyId[];
  /** The customer's email/phone as keyed hashes, to find hashed list entries; empty without shopKey. */
  identity: IdentityHashes;
}

export interface ShopSubjects {
  shopDomain: string;
  shopId: ShopifyId;
}

function customerSubjects(p: CustomerCompliancePayload, orders: readonly (number | string)[], shopKey?: string): CustomerSubjects {
  const email = shopKey && p.customer.email ? emailFacts(shopKey, p.customer.email)?.hash : undefined;
  const phone = shopKey ? phoneHash(shopKey, p.customer.phone) : undefined;
  return {
    shopDomain: p.shop_domain,
    shopId: shopifyGid('Shop', p.shop_id),
    customerId: shopifyGid('Customer', p.customer.id),
    orderIds: orders.map((id) => shopifyGid('Order', id)),
    identity: { ...(email ? { email } : {}), ...(phone ? { phone } : {}) },
  };
}

/** What a customers/redact body asks us to erase: the customer and the listed orders, guest ones included. */
export function customerRedactSubjects(body: unknown, shopKey?: string): CustomerSubjects {
  const p = customersRedactPayload(body);
  return customerSubjects(p, p.orders_to_redact ?? [], shopKey);
}

/** What a shop/redact body asks us to erase: the whole shop, 48 h after uninstall. */
export function shopRedactSubjects(body: unknown): ShopSubjects {
  const p = shopRedactPayload(body);
  return { shopDomain: p.shop_domain, shopId: shopifyGid('Shop', p.shop_id) };
}

/**
 * The subjects of either redact body (FACTS §4.11), told apart by the `customer` member. Use
 * the specific function when the topic is known.
 */
export function subjectIdsForRedact(body: unknown, shopKey?: string): CustomerSubjects | ShopSubjects {
  const isCustomer = body !== null && typeof body === 'object' && 'customer' in body;
  return isCustomer ? customerRedactSubjects(body, shopKey) : shopRedactSubjects(body);
}

/** What a customers/data_request body asks us to report, and the request id to answer. */
export function subjectIdsForDataRequest(body: unknown, shopKey?: string): CustomerSubjects & { dataRequestId: string } {
  const p = customersDataRequestPayload(body);
  return { ...customerSubjects(p, p.orders_requested ?? [], shopKey), dataRequestId: String(p.data_request!.id) };
}
