import type { AddressSummary, CustomerSnapshot, IdentityHashes, LineItem, OrderRecord, ShippingLine } from '../../../sdk/index.ts';
import { emailFacts } from '../../normalize/identityFacts.ts';
import { ipFacts, kmFromCountry } from '../../normalize/ipIntelligence.ts';
import { compact } from './compact.ts';
import { deviceHash, ipHash, phoneHash } from './identityHashes.ts';
import { inferShippingSpeed } from './inferShippingSpeed.ts';
import { round2, shopMoney, toMoney } from './money.ts';
import { orderPayload, type CustomerPayload, type LineItemPayload, type OrderPayload } from './orderPayload.ts';
import { gidOf, shopifyGid } from './shopifyGid.ts';
import { addressHash, summarizeAddress } from './summarizeAddress.ts';

export interface NormalizedOrder {
  order: OrderRecord;
  customer: CustomerSnapshot | null;
}

/** Webhook/REST tags are one comma-joined string ("tag1, tag2"); GraphQL gives a list (FACTS §4.2). */
export function splitTags(tags: string | null | undefined): string[] {
  return (tags ?? '').split(',').map((tag) => tag.trim()).filter(Boolean);
}

function text(value: string | null | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed || undefined;
}

/**
 * Line discounts: the allocations, when listed, are the amounts actually taken off; Shopify's
 * own refund sample shows `total_discount` "5.00" beside allocations adding to 10.00, and the
 * 2026-07 schema says `totalDiscount` leaves out order-level discounts.
 */
function lineDiscount(item: LineItemPayload): number {
  const allocations = item.discount_allocations ?? [];
  if (allocations.length > 0) return round2(allocations.reduce((sum, a) => sum + shopMoney(a.amount_set, a.amount), 0));
  return shopMoney(item.total_discount_set, item.total_discount);
}

export function normalizeLineItem(item: LineItemPayload): LineItem {
  return compact<LineItem>({
    id: gidOf('LineItem', item)!,
    productId: item.product_id === null || item.product_id === undefined ? undefined : shopifyGid('Product', item.product_id),
    variantId: item.variant_id === null || item.variant_id === undefined ? undefined : shopifyGid('ProductVariant', item.variant_id),
    sku: text(item.sku),
    title: text(item.title),
    variantTitle: text(item.variant_title),
    vendor: text(item.vendor),
    quantity: item.quantity,
    price: shopMoney(item.price_set, item.price),
    totalDiscount: lineDiscount(item),
    giftCard: item.gift_card,
    requiresShipping: item.requires_shipping,
  });
}

function normalizeShippingLine(line: NonNullable<OrderPayload['shipping_lines']>[number]): ShippingLine {
  return compact<ShippingLine>({
    title: text(line.title),
    code: text(line.code),
    price: shopMoney(line.price_set, line.price),
    speed: inferShippingSpeed(line.title, line.code),
  });
}

/** Whole km from the address (its rounded coordinates) to the browser IP's country; undefined without both. */
function kmFromIpCountry(ipCountry: string | undefined, address: AddressSummary | undefined): number | undefined {
  if (!ipCountry || address?.latitude === undefined || address.longitude === undefined) return undefined;
  return kmFromCountry(ipCountry, address.latitude, address.longitude);
}

function customerSnapshot(shopKey: string, customer: CustomerPayload): CustomerSnapshot {
  const address = customer.default_address;
  const identity: IdentityHashes = compact({
    email: customer.email ? emailFacts(shopKey, customer.email)?.hash : undefined,
    phone: phoneHash(shopKey, customer.phone ?? address?.phone),
    address: address ? addressHash(shopKey, address) : undefined,
  });
  return compact<CustomerSnapshot>({
    id: gidOf('Customer', customer)!,
    createdAt: customer.created_at ?? undefined,
    tags: splitTags(customer.tags),
    identity,
    accountState: accountStateOf(customer.state),
  });
}

const ACCOUNT_STATES = new Set(['disabled', 'invited', 'enabled', 'declined']);

/** Shopify's customer state (REST `disabled`, GraphQL `DISABLED`) as one of the four, or undefined for anything else. */
export function accountStateOf(state: string | null | undefined): CustomerSnapshot['accountState'] {
  const lower = state?.trim().toLowerCase();
  return lower && ACCOUNT_STATES.has(lower) ? (lower as CustomerSnapshot['accountState']) : undefined;
}

/**
 * An orders/* body as our OrderRecord and the buyer's CustomerSnapshot. Identifiers (email,
 * phone, addresses, IP, user agent) are reduced to keyed hashes with `shopKey` and a few
 * judged facts; no raw PII is returned. The browser IP's facts (country, AS, hosting network,
 * distance of the addresses from its country) come from the offline IP data of
 * `server/normalize/ipIntelligence.ts`.
 *
 * Money is the shop-currency amount before returns (`total_price_set`, …), not the
 * `current_*` amounts: the 2026-07 schema defines `currentTotalPriceSet` as the total "after
 * returns", so orders/updated after a refund would otherwise shrink the paid total that the
 * refund signals compare refunds against. The backfill query reads `totalPriceSet` too.
 */
export function normalizeOrder(body: unknown, shopKey: string): NormalizedOrder {
  const p = orderPayload(body);
  const email = p.email ?? p.contact_email ?? p.customer?.email;
  const facts = email ? emailFacts(shopKey, email) : undefined;
  const shipping = p.shipping_address ?? undefined;
  const billing = p.billing_address ?? undefined;
  const client = p.client_details ?? undefined;
  const browserIp = p.browser_ip ?? client?.browser_ip;
  const identity: IdentityHashes = compact({
    email: facts?.hash,
    phone: phoneHash(shopKey, p.phone ?? p.customer?.phone ?? billing?.phone ?? shipping?.phone),
    address: (shipping && addressHash(shopKey, shipping)) ?? (billing && addressHash(shopKey, billing)),
    ip: ipHash(shopKey, browserIp),
    device: deviceHash(shopKey, client?.user_agent, client?.accept_language, client?.browser_width),
  });
  const ip = ipFacts(browserIp);
  const shippingAddress = summarizeAddress(shopKey, shipping);
  const billingAddress = summarizeAddress(shopKey, billing);
  const order = compact<OrderRecord>({
    id: p.admin_graphql_api_id,
    name: text(p.name),
    customerId: p.customer ? gidOf('Customer', p.customer) : null,
    createdAt: p.created_at,
    processedAt: p.processed_at ?? undefined,
    cancelledAt: p.cancelled_at ?? null,
    currency: p.currency,
    totalPrice: shopMoney(p.total_price_set, p.total_price),
    subtotalPrice: shopMoney(p.subtotal_price_set, p.subtotal_price),
    totalDiscounts: shopMoney(p.total_discounts_set, p.total_discounts),
    totalShipping: p.total_shipping_price_set ? toMoney(p.total_shipping_price_set.shop_money.amount) : undefined,
    discountCodes: (p.discount_codes ?? []).map((d) => d.code.trim()).filter(Boolean),
    financialStatus: text(p.financial_status),
    sourceName: text(p.source_name),
    gateways: p.payment_gateway_names ?? [],
    lineItems: p.line_items.map(normalizeLineItem),
    shippingLines: (p.shipping_lines ?? []).map(normalizeShippingLine),
    shippingAddress,
    billingAddress,
    identity,
    emailDomainDisposable: facts?.disposable,
    browserIpCountryCode: ip?.countryCode,
    browserIpAsn: ip?.asn,
    browserIpHosting: ip?.hosting,
    browserIpNetwork: ip?.network,
    browserIpShippingMinKm: kmFromIpCountry(ip?.countryCode, shippingAddress),
    browserIpBillingMinKm: kmFromIpCountry(ip?.countryCode, billingAddress),
    tags: splitTags(p.tags),
  });
  return { order, customer: p.customer ? customerSnapshot(shopKey, p.customer) : null };
}
