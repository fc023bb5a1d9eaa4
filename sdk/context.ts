/**
 * The point-in-time context a signal judges. Everything here was known strictly before
 * `now` (the subject's own time), is plain JSON (so it can be stored, replayed and sent to a
 * worker thread), and holds no raw PII: customers and identifiers appear only as Shopify ids
 * and keyed hashes (HMAC with a per-shop key).
 *
 * Shapes are normalized from Shopify's webhook and bulk-operation payloads: ids are the
 * `admin_graphql_api_id` strings (`gid://shopify/Order/…`), never numbers; timestamps are ISO
 * 8601 strings; money is a decimal number in the shop's currency.
 */

/** A Shopify GraphQL id, e.g. `gid://shopify/Order/4783296544821`. */
export type ShopifyId = string;
/** An ISO 8601 timestamp, e.g. `2026-03-14T09:30:00Z`. */
export type IsoTime = string;
/** A keyed hash (HMAC-SHA256, hex) of an identifier, computed with the shop's own key. */
export type IdentifierHash = string;

export type SubjectKind = 'order' | 'return' | 'refund';

/** Kinds of hashed identifiers kept for lists and ring detection. */
export type IdentifierKind = 'email' | 'phone' | 'address' | 'ip' | 'device' | 'payment';

export type IdentityHashes = Partial<Record<IdentifierKind, IdentifierHash>>;

export interface LineItem {
  id: ShopifyId;
  productId?: ShopifyId;
  variantId?: ShopifyId;
  sku?: string;
  title?: string;
  /** e.g. "M / Blue"; used to spot bracketing (same product, several variants). */
  variantTitle?: string;
  productType?: string;
  vendor?: string;
  quantity: number;
  /** Unit price before discounts. */
  price: number;
  /** Total discount allocated to this line. */
  totalDiscount: number;
  /** Unit compare-at price, when the item was sold below it (on sale). */
  compareAtPrice?: number;
  giftCard?: boolean;
  requiresShipping?: boolean;
}

/** Where an order was shipped and billed, generalised so it is not PII. */
export interface AddressSummary {
  countryCode?: string;
  provinceCode?: string;
  /** First characters of the postcode only (e.g. "SW1A", "941"). */
  postcodePrefix?: string;
  latitude?: number;
  longitude?: number;
  /** Keyed hash of the full normalized address, for rings and lists. */
  hash?: IdentifierHash;
}

export interface ShippingLine {
  title?: string;
  code?: string;
  price: number;
  /** Normalized speed class inferred from title/code. */
  speed?: 'standard' | 'express' | 'overnight' | 'pickup' | 'unknown';
}

export interface OrderRecord {
  id: ShopifyId;
  name?: string;
  customerId?: ShopifyId | null;
  createdAt: IsoTime;
  processedAt?: IsoTime;
  cancelledAt?: IsoTime | null;
  currency: string;
  totalPrice: number;
  subtotalPrice: number;
  totalDiscounts: number;
  totalShipping?: number;
  discountCodes: string[];
  financialStatus?: string;
  sourceName?: string;
  /** Payment gateway names (e.g. "shopify_payments", "gift_card", "manual"). */
  gateways: string[];
  lineItems: LineItem[];
  shippingLines: ShippingLine[];
  shippingAddress?: AddressSummary;
  billingAddress?: AddressSummary;
  /** Keyed hashes of the buyer's identifiers on this order. */
  identity: IdentityHashes;
  /** Facts judged at normalization time, so the raw value never needs storing. */
  emailDomainDisposable?: boolean;
  /**
   * ISO 3166-1 alpha-2 country (upper case) of the buyer's browser IP (`browser_ip`), judged at
   * normalization from offline IP data (server/normalize/ipIntelligence.ts); the IP is not kept.
   * Absent without an IP, or for a private, documentation or unplaced one.
   */
  browserIpCountryCode?: string;
  /** Autonomous system number of the network the browser IP belongs to. */
  browserIpAsn?: number;
  /**
   * The browser IP's network is a hosting, datacenter or VPN provider (servers, rented proxies,
   * commercial VPN exits) rather than a home or mobile connection; privacy relays such as iCloud
   * Private Relay are not. Set whenever `browserIpAsn` is.
   */
  browserIpHosting?: boolean;
  /** The AS organisation of a hosting network (e.g. "DigitalOcean, LLC"); absent for other networks. */
  browserIpNetwork?: string;
  /**
   * At least this many km (whole) lie between the browser IP and the shipping address: the
   * great-circle distance from the address's coordinates to the nearest border of the IP's
   * country (the IP data are country-level), 0 when the address is in that country. Absent
   * without the IP's country or the address's coordinates.
   */
  browserIpShippingMinKm?: number;
  /** The same for the billing address. */
  browserIpBillingMinKm?: number;
  tags: string[];
  /**
   * Shopify's own fraud assessment of the order (provider Shopify, not an app's), when one is
   * stored: from orders/risk_assessment_changed or the backfill's `Order.risk`. An input, judged
   * by `order.shopify-risk-level`.
   */
  shopifyRisk?: ShopifyRiskSummary;
}

/** Shopify's risk level of an order (GraphQL `RiskAssessmentResult`, lowercased). */
export type ShopifyRiskLevel = 'high' | 'medium' | 'low' | 'none' | 'pending';

export interface ShopifyRiskSummary {
  level: ShopifyRiskLevel;
  /** When Shopify assessed it (the webhook's time; a backfilled one: the order's creation). */
  assessedAt: IsoTime;
  /** How many of the assessment's facts weigh for (negative), against (positive) or neither; only GraphQL lists facts. */
  facts?: { negative: number; neutral: number; positive: number };
}

/**
 * Shopify's risk assessment of an order as stored (`events` kind `risk`, one per order): the
 * order record's `shopifyRisk` is taken from it.
 */
export interface RiskAssessmentRecord extends ShopifyRiskSummary {
  /** `<order gid>#shopify`: one stored assessment per order and provider. */
  id: string;
  orderId: ShopifyId;
}

/**
 * A payment transaction of an order (order_transactions/create, or the backfill's
 * `Order.transactions`), with only judged facts of the card: no number, BIN, last four or holder
 * name, only `cardHash`, a keyed fingerprint of them.
 */
export interface TransactionRecord {
  id: ShopifyId;
  orderId: ShopifyId;
  createdAt: IsoTime;
  /** authorization, sale, capture, void, refund, change, … (lowercase). */
  kind: string;
  /** success, failure, error, pending, … (lowercase). */
  status: string;
  gateway?: string;
  amount: number;
  /** Shopify's standardized error code, lowercase (e.g. card_declined, incorrect_cvc). */
  errorCode?: string;
  /** The address verification (AVS) result code, one letter (uppercased). */
  avsResultCode?: string;
  /** The card security code (CVV) result code, one letter (uppercased). */
  cvvResultCode?: string;
  /** The card brand, e.g. "Visa". */
  cardCompany?: string;
  /** A digital wallet used (apple_pay, google_pay, shopify_pay, …). */
  wallet?: string;
  /**
   * Keyed hash of the card (company + BIN + last four + expiry + holder name, normalized), the
   * order's `identity.payment` when it paid: lists, rings and sharing signals see the card.
   */
  cardHash?: IdentifierHash;
  test?: boolean;
}

export interface FulfillmentRecord {
  id: ShopifyId;
  orderId: ShopifyId;
  createdAt: IsoTime;
  /** When the carrier reported delivery, if known. */
  deliveredAt?: IsoTime | null;
  status?: string;
  lineItems: { lineItemId: ShopifyId; quantity: number }[];
}

export interface ReturnLineItem {
  lineItemId: ShopifyId;
  sku?: string;
  productId?: ShopifyId;
  variantId?: ShopifyId;
  quantity: number;
  /** Unit price paid (after discount) of the returned item, if known. */
  unitPrice?: number;
  /** Shopify's ReturnReason enum value, e.g. SIZE_TOO_SMALL, DEFECTIVE, UNWANTED. */
  reason?: string;
  /** The customer's free-text note (reason detail), never names or addresses. */
  reasonNote?: string;
}

export interface ReturnRecord {
  id: ShopifyId;
  orderId: ShopifyId;
  customerId?: ShopifyId | null;
  status: string;
  createdAt: IsoTime;
  closedAt?: IsoTime | null;
  lineItems: ReturnLineItem[];
  exchangeLineItemCount: number;
  /** Value of the returned items. */
  totalValue: number;
}

export type RefundMethod =
  | 'original_payment'
  | 'store_credit'
  | 'gift_card'
  | 'exchange'
  | 'cash'
  | 'other';

export interface RefundRecord {
  id: ShopifyId;
  orderId: ShopifyId;
  returnId?: ShopifyId | null;
  customerId?: ShopifyId | null;
  createdAt: IsoTime;
  amount: number;
  /** The method of the largest part of the refund. */
  method: RefundMethod;
  /**
   * Only for a refund split across methods (e.g. part to the card, part to store credit): the
   * money paid back per method, adding up to `amount`.
   */
  methodAmounts?: Partial<Record<RefundMethod, number>>;
  lineItems: { lineItemId: ShopifyId; quantity: number; subtotal: number }[];
  restock?: boolean;
  /** True when the refund was issued by staff without a return record. */
  manual?: boolean;
}

export interface ChargebackRecord {
  id: ShopifyId;
  orderId: ShopifyId;
  initiatedAt: IsoTime;
  amount: number;
  reason?: string;
  status?: string;
  type?: 'chargeback' | 'inquiry';
}

/** A decision RefundSentry made earlier for this customer. */
export interface PastDecision {
  subjectId: ShopifyId;
  kind: SubjectKind;
  at: IsoTime;
  score: number;
  zone: string;
}

/** A confirmed outcome (from the merchant or aging inference) known before `now`. */
export interface PastOutcome {
  subjectId: ShopifyId;
  label: 'fraud' | 'legit';
  at: IsoTime;
  source: string;
}

export interface CustomerSnapshot {
  id: ShopifyId;
  createdAt?: IsoTime;
  tags: string[];
  identity: IdentityHashes;
  /** A merchant's manual override, if any: trusted or flagged. */
  manualOverride?: 'trusted' | 'flagged' | null;
  /**
   * Shopify's customer account state (`state` on webhook bodies, `Customer.state` in GraphQL):
   * `disabled` is a customer record the checkout made, with no account opened; `invited`,
   * `enabled` an account the buyer was invited to or opened; `declined` an invitation declined.
   * As of the latest delivery (not point-in-time).
   */
  accountState?: 'disabled' | 'invited' | 'enabled' | 'declined';
}

/**
 * The customer's history AS OF `now`: only events strictly before the subject's time (for a
 * revised decision, the facts learned later are those before `knownAt`: see `SignalContext`).
 * Arrays are in ascending time order. For the subject itself: an order subject is not in
 * `orders`; a return's own order is (it happened before).
 */
export interface CustomerHistory {
  orders: OrderRecord[];
  fulfillments: FulfillmentRecord[];
  returns: ReturnRecord[];
  refunds: RefundRecord[];
  chargebacks: ChargebackRecord[];
  decisions: PastDecision[];
  outcomes: PastOutcome[];
  /**
   * Payment transactions known at `now`: the customer's (guest: the order's) transactions created
   * strictly before `now`, and, for an order subject, its own checkout transactions, those created
   * up to `CHECKOUT_WINDOW_MS` after the order (they belong to it, as its lines do; see
   * `checkoutTransactions`). In time order. Absent only from contexts made before transactions
   * were known (old context files).
   */
  transactions?: TransactionRecord[];
}

/** Percentiles of one measure across the shop (p50, p75, p90, p95, p99). */
export interface Percentiles {
  p50: number;
  p75: number;
  p90: number;
  p95: number;
  p99: number;
  /** How many observations the percentiles were computed from. */
  n: number;
}

/**
 * Per-shop calibration built from the shop's own history, so thresholds adapt to the shop.
 * Empty (`measures: {}`) when the shop has no baseline yet; signals then use documented
 * global defaults.
 */
export interface ShopBaseline {
  builtAt?: IsoTime;
  measures: Record<string, Percentiles>;
  /** Return rate (returned units / sold units) per SKU, for SKUs with enough sales. */
  skuReturnRates: Record<string, { rate: number; sold: number }>;
  /** The shop-wide return rate (returned units / sold units). */
  shopReturnRate?: number;
}

/**
 * Hashed identifiers the merchant blocked or trusted, by kind. An allow entry beats a block
 * entry, unless the block is non-overridable (`locked`, a subset of `blocked`).
 */
export interface HashedLists {
  blocked: Partial<Record<IdentifierKind, IdentifierHash[]>>;
  allowed: Partial<Record<IdentifierKind, IdentifierHash[]>>;
  /** Blocked identifiers that no allow entry overrides (each is also in `blocked`). */
  locked?: Partial<Record<IdentifierKind, IdentifierHash[]>>;
}

export interface OrderSubject {
  kind: 'order';
  id: ShopifyId;
  at: IsoTime;
  order: OrderRecord;
}

export interface ReturnSubject {
  kind: 'return';
  id: ShopifyId;
  at: IsoTime;
  return: ReturnRecord;
  /** The order the return belongs to. */
  order: OrderRecord;
}

export interface RefundSubject {
  kind: 'refund';
  id: ShopifyId;
  at: IsoTime;
  refund: RefundRecord;
  order: OrderRecord;
  /** The return that led to the refund, if there was one. */
  return?: ReturnRecord | null;
}

export type Subject = OrderSubject | ReturnSubject | RefundSubject;

export interface SignalContext {
  /** The shop this event belongs to, e.g. `example.myshopify.com`. */
  shopId: string;
  /** The moment of judgement: the subject's time. Signals never read the clock. */
  now: IsoTime;
  /**
   * A revised decision's point of knowledge (absent for a first decision, where it is `now`): the
   * time of the new fact that triggered the revision. The customer's orders, returns, refunds and
   * decisions stay those before `now`; the facts learned about them later — chargebacks, outcomes
   * (labels), fulfilments and deliveries, return closings, transactions, and the identifier sharing
   * behind `derived.ring` — are those known before `knownAt`, so some may be later than `now`.
   */
  knownAt?: IsoTime;
  subject: Subject;
  /** The customer, or null for a guest checkout. */
  customer: CustomerSnapshot | null;
  history: CustomerHistory;
  baseline: ShopBaseline;
  lists: HashedLists;
  /**
   * Facts precomputed by the context builder (e.g. `customerOrderCount`), shared by signals
   * so each is computed once per event.
   */
  derived: Record<string, unknown>;
}

/**
 * `ctx.derived.ring`, computed by the context builder for every subject (point-in-time): the
 * other customers (or guest orders) who used one of this customer's identifiers (the keyed
 * hashes on the subject's order and on their earlier orders) in an order strictly before `now`,
 * with what was known about them then. Identifiers shared by more than `RING_LIST_LIMIT` others
 * (hubs: a marketplace warehouse, a shared office network) are only counted, not listed.
 */
export interface RingNeighbourhood {
  /**
   * This customer's identifiers by kind, with how many others had used each before `now`, counted
   * up to `RING_LIST_LIMIT + 1` (more than the limit: a hub, whose users are not listed).
   */
  identifiers: { kind: IdentifierKind; sharedWith: number }[];
  /** The others linked through an identifier shared by at most `RING_LIST_LIMIT` others. */
  linked: RingNeighbour[];
}

export interface RingNeighbour {
  /** A customer id, or a guest order's id. */
  id: ShopifyId;
  /** The identifiers linking them (one entry per identifier), with each one's `sharedWith`. */
  via: { kind: IdentifierKind; sharedWith: number }[];
  /** Their orders, orders with a return, chargebacks and fraud labels, all before `now`. */
  orders: number;
  returnedOrders: number;
  chargebacks: number;
  fraudLabels: number;
}

/**
 * `ctx.derived.identity`, computed by the context builder for order subjects (point-in-time): for
 * each identifier on the subject order, who used it before `now` and how often it was used lately,
 * and how many cards the customer and the order's device went through. Built from the same uses as
 * `derived.ring` (its `sharedWith` is the ring's), so the two never disagree.
 */
export interface IdentityFacts {
  /** One entry per identifier kind on the subject order, in kind order. */
  identifiers: IdentifierFacts[];
  /** Distinct cards (`identity.payment` hashes), this order's included. */
  cards: {
    /** On the customer's orders before `now` and this one (a guest: this order alone). */
    customer: number;
    /**
     * On the orders carrying this order's device hash in the 24 hours before `now` (the latest
     * `IDENTITY_RECENT_LIMIT` of them, any customer) and this one; absent when the order has no device hash.
     */
    device?: number;
  };
  /**
   * For a guest checkout: the kinds of its identifiers that an account (a customer, not another
   * guest order) used before `now`, hubs left out. Empty for an order of a customer.
   */
  guestSharesAccount: IdentifierKind[];
}

export interface IdentifierFacts {
  kind: IdentifierKind;
  /**
   * Distinct others (customers and guest orders) who used it on an order before `now`, counted up to
   * `RING_LIST_LIMIT + 1` (more than the limit: a hub): the ring's `sharedWith` for this identifier.
   */
  sharedWith: number;
  /** Of those others: customers (accounts) and guest orders; null for a hub (its users are not all known). */
  accounts: number | null;
  guests: number | null;
  /**
   * Orders carrying it (any customer's, this customer's earlier ones included, this one not) in the
   * hour and in the 24 hours before `now`, counted up to `IDENTITY_RECENT_LIMIT`.
   */
  lastHour: number;
  lastDay: number;
}
