import { numericId, sku, variantId, GIFT_CARD, type Product } from './catalog.ts';
import { fullName, maskedNumber, type Card, type Device, type Person, type PostalAddress } from './people.ts';

/**
 * The webhook bodies of the generated shop, in the REST shapes Shopify sends (its own samples in
 * `server/shopify/fixtures/webhooks/` are the templates: the same keys, the same value types,
 * amounts as decimal strings, ids as numbers with their `admin_graphql_api_id`). They carry what a
 * real checkout gives Shopify (buyer, addresses with coordinates, browser, IP, card details as
 * Shopify masks them) and nothing it does not: no product type, no compare-at price, no
 * judgement. The plans below are the generator's own bookkeeping; only the bodies leave it.
 */

export const CURRENCY = 'USD';
/** Shopify's gateway name for Shopify Payments, and its store-credit refunds. */
export const GATEWAY = 'shopify_payments';
export const STORE_CREDIT_GATEWAY = 'shopify_store_credit';

/** A customer as the generator knows them (the pattern is the label, never in a body). */
export interface Buyer {
  id: number;
  createdAt: string;
  person: Person;
  /** Default, shipping and billing address. */
  address: PostalAddress;
  /** The browsers they check out from: the first is the usual one. */
  devices: Device[];
  homeIp: string;
  /** The carrier address of their phone, when they have one. */
  mobileIp?: string;
  /** Their cards: the first is the usual one. */
  cards: Card[];
}

export interface LinePlan {
  id: number;
  product: Product;
  variant: string;
  quantity: number;
  /** What the item sold for (the sale price when on sale). */
  price: number;
  /** Its share of the order's discount code. */
  discount: number;
}

export interface PaymentAttempt {
  id: number;
  at: number;
  card: Card;
  status: 'success' | 'failure';
  errorCode: string | null;
  avs: string | null;
  cvv: string | null;
}

export interface OrderPlan {
  id: number;
  /** The shop's order number (`#1001`), given in time order once every order is planned. */
  number: number;
  at: number;
  buyer: Buyer;
  lines: LinePlan[];
  discountCode: string | null;
  totalDiscounts: number;
  /** Line items' total before discounts. */
  lineTotal: number;
  shipping: number;
  express: boolean;
  device: Device;
  ip: string;
  /** Checkout payment attempts, the last one the successful payment. */
  attempts: PaymentAttempt[];
}

export interface FulfillmentPlan {
  id: number;
  order: OrderPlan;
  shippedAt: number;
  deliveredAt: number;
  carrier: 'UPS' | 'USPS' | 'FedEx';
  tracking: string;
}

export interface ReturnLinePlan {
  line: LinePlan;
  /** Shopify's return reason, lowercase as webhooks send it (`size_too_small`). */
  reason: string;
  note?: string;
}

export interface ReturnPlan {
  id: number;
  order: OrderPlan;
  at: number;
  lines: ReturnLinePlan[];
  exchange: boolean;
}

export interface RefundPlan {
  id: number;
  ret: ReturnPlan;
  at: number;
  method: 'original_payment' | 'store_credit' | 'exchange';
  transactionId: number;
}

export interface DisputePlan {
  id: number;
  order: OrderPlan;
  at: number;
  reason: 'fraudulent' | 'product_not_received' | 'product_unacceptable';
}

type Body = Record<string, unknown>;

export function iso(time: number): string {
  return new Date(Math.round(time / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

const amount = (value: number) => value.toFixed(2);
function moneyBag(value: number): Body {
  return { shop_money: { amount: amount(value), currency_code: CURRENCY }, presentment_money: { amount: amount(value), currency_code: CURRENCY } };
}
const round2 = (value: number) => Math.round(value * 100) / 100;

export const orderGid = (order: OrderPlan) => `gid://shopify/Order/${order.id}`;
export const lineGid = (line: LinePlan) => `gid://shopify/LineItem/${line.id}`;
export const customerGid = (buyer: Buyer) => `gid://shopify/Customer/${buyer.id}`;
/** The order's subtotal after discounts (Shopify's `subtotal_price`). */
export const subtotalOf = (order: OrderPlan) => round2(order.lineTotal - order.totalDiscounts);
export const totalOf = (order: OrderPlan) => round2(order.lineTotal - order.totalDiscounts + order.shipping);
/** What a line brings back when refunded: its price less its share of the discount. */
export const lineRefund = (line: LinePlan) => round2(line.price * line.quantity - line.discount);

function addressBody(address: PostalAddress): Body {
  return {
    first_name: address.firstName,
    address1: address.address1,
    phone: address.phone,
    city: address.city,
    zip: address.zip,
    province: address.province,
    country: address.country,
    last_name: address.lastName,
    address2: address.address2,
    company: null,
    latitude: address.latitude,
    longitude: address.longitude,
    name: fullName(address),
    country_code: address.countryCode,
    province_code: address.provinceCode,
  };
}

function customerBody(buyer: Buyer, at: number): Body {
  const { person, address } = buyer;
  return {
    id: buyer.id,
    email: person.email,
    created_at: buyer.createdAt,
    updated_at: iso(at),
    first_name: person.firstName,
    last_name: person.lastName,
    state: 'enabled',
    note: null,
    verified_email: true,
    multipass_identifier: null,
    tax_exempt: false,
    phone: person.phone,
    currency: CURRENCY,
    tax_exemptions: [],
    admin_graphql_api_id: customerGid(buyer),
    // A customer's saved address has no coordinates (Shopify's sample has none); the order's addresses do.
    default_address: (({ latitude: _lat, longitude: _lon, ...saved }) => ({ id: buyer.id + 1_700_000_000_000, customer_id: buyer.id, ...saved, country_name: address.country, default: true }))(addressBody(address)),
  };
}

function lineItemBody(line: LinePlan): Body {
  const { product, variant } = line;
  const giftCard = GIFT_CARD(product);
  return {
    id: line.id,
    admin_graphql_api_id: lineGid(line),
    attributed_staffs: [],
    current_quantity: line.quantity,
    fulfillable_quantity: line.quantity,
    fulfillment_service: 'manual',
    fulfillment_status: null,
    gift_card: giftCard,
    grams: giftCard ? 0 : 400,
    name: `${product.title} - ${variant}`,
    price: amount(line.price),
    price_set: moneyBag(line.price),
    product_exists: true,
    product_id: numericId(product.id),
    properties: [],
    quantity: line.quantity,
    requires_shipping: !giftCard,
    sales_line_item_group_id: null,
    sku: sku(product, variant),
    taxable: !giftCard,
    title: product.title,
    total_discount: '0.00',
    total_discount_set: moneyBag(0),
    variant_id: numericId(variantId(product, variant)),
    variant_inventory_management: 'shopify',
    variant_title: variant,
    vendor: product.vendor,
    tax_lines: [],
    duties: [],
    discount_allocations: line.discount > 0 ? [{ amount: amount(line.discount), amount_set: moneyBag(line.discount), discount_application_index: 0 }] : [],
  };
}

/** An orders/create body (Shopify's `orders_create.json` shape). */
export function orderBody(order: OrderPlan, shopDomain: string): Body {
  const { buyer, device } = order;
  const at = iso(order.at);
  const subtotal = subtotalOf(order);
  const total = totalOf(order);
  const token = `${order.id.toString(16)}${buyer.id.toString(16)}`.slice(-32);
  const shippingTitle = order.express ? 'Express' : 'Standard';
  return {
    id: order.id,
    admin_graphql_api_id: orderGid(order),
    app_id: 580111,
    browser_ip: order.ip,
    buyer_accepts_marketing: false,
    cancel_reason: null,
    cancelled_at: null,
    cart_token: null,
    checkout_token: token,
    client_details: {
      accept_language: device.acceptLanguage,
      browser_height: device.height,
      browser_ip: order.ip,
      browser_width: device.width,
      session_hash: null,
      user_agent: device.userAgent,
    },
    closed_at: null,
    confirmation_number: `R${(order.id % 1_000_000_000).toString(36).toUpperCase()}`,
    confirmed: true,
    contact_email: buyer.person.email,
    created_at: at,
    currency: CURRENCY,
    current_subtotal_price: amount(subtotal),
    current_subtotal_price_set: moneyBag(subtotal),
    current_total_discounts: amount(order.totalDiscounts),
    current_total_discounts_set: moneyBag(order.totalDiscounts),
    current_total_price: amount(total),
    current_total_price_set: moneyBag(total),
    current_total_tax: '0.00',
    current_total_tax_set: moneyBag(0),
    customer_locale: device.acceptLanguage.split(',')[0],
    device_id: null,
    discount_codes: order.discountCode ? [{ code: order.discountCode, amount: amount(order.totalDiscounts), type: 'percentage' }] : [],
    duties_included: false,
    email: buyer.person.email,
    estimated_taxes: false,
    financial_status: 'paid',
    fulfillment_status: null,
    landing_site: '/',
    landing_site_ref: null,
    location_id: null,
    name: `#${order.number}`,
    note: null,
    note_attributes: [],
    number: order.number - 1000,
    order_number: order.number,
    order_status_url: `https://${shopDomain}/${buyer.id}/orders/${token}/authenticate?key=${token.slice(0, 16)}`,
    payment_gateway_names: [GATEWAY],
    phone: buyer.person.phone,
    po_number: null,
    presentment_currency: CURRENCY,
    processed_at: at,
    reference: null,
    referring_site: null,
    source_identifier: null,
    source_name: 'web',
    source_url: null,
    subtotal_price: amount(subtotal),
    subtotal_price_set: moneyBag(subtotal),
    tags: '',
    tax_exempt: false,
    tax_lines: [],
    taxes_included: false,
    test: false,
    token,
    total_discounts: amount(order.totalDiscounts),
    total_discounts_set: moneyBag(order.totalDiscounts),
    total_line_items_price: amount(order.lineTotal),
    total_line_items_price_set: moneyBag(order.lineTotal),
    total_outstanding: '0.00',
    total_price: amount(total),
    total_price_set: moneyBag(total),
    total_shipping_price_set: moneyBag(order.shipping),
    total_tax: '0.00',
    total_tax_set: moneyBag(0),
    total_tip_received: '0.00',
    total_weight: order.lines.reduce((sum, line) => sum + (GIFT_CARD(line.product) ? 0 : 400 * line.quantity), 0),
    updated_at: at,
    user_id: null,
    billing_address: addressBody(buyer.address),
    customer: customerBody(buyer, order.at),
    discount_applications: order.discountCode
      ? [{ target_type: 'line_item', type: 'discount_code', value: '10.0', value_type: 'percentage', allocation_method: 'across', target_selection: 'all', code: order.discountCode }]
      : [],
    fulfillments: [],
    line_items: order.lines.map((line) => lineItemBody(line)),
    payment_terms: null,
    refunds: [],
    shipping_address: addressBody(buyer.address),
    shipping_lines: [
      {
        id: order.id + 3_000_000_000_000,
        carrier_identifier: null,
        code: shippingTitle,
        current_discounted_price_set: moneyBag(order.shipping),
        discounted_price: amount(order.shipping),
        discounted_price_set: moneyBag(order.shipping),
        is_removed: false,
        phone: null,
        price: amount(order.shipping),
        price_set: moneyBag(order.shipping),
        requested_fulfillment_service_id: null,
        source: 'shopify',
        title: shippingTitle,
        tax_lines: [],
        discount_allocations: [],
      },
    ],
    returns: [],
  };
}

/** An order_transactions/create body (Shopify's `order_transactions_create.json` shape) of one checkout attempt. */
export function transactionBody(attempt: PaymentAttempt, order: OrderPlan): Body {
  const { card } = attempt;
  const at = iso(attempt.at);
  const total = totalOf(order);
  return {
    id: attempt.id,
    order_id: order.id,
    kind: 'sale',
    gateway: GATEWAY,
    status: attempt.status,
    message: attempt.status === 'success' ? 'Transaction approved' : 'Your card was declined.',
    created_at: at,
    test: false,
    authorization: attempt.status === 'success' ? `ch_${attempt.id.toString(36)}` : null,
    location_id: null,
    user_id: null,
    parent_id: null,
    processed_at: at,
    device_id: null,
    error_code: attempt.errorCode,
    source_name: 'web',
    payment_details: {
      credit_card_bin: card.bin,
      avs_result_code: attempt.avs,
      cvv_result_code: attempt.cvv,
      credit_card_number: maskedNumber(card),
      credit_card_company: card.company,
      buyer_action_info: null,
      credit_card_name: card.holder,
      credit_card_wallet: null,
      credit_card_expiration_month: card.month,
      credit_card_expiration_year: card.year,
      payment_method_name: card.company === 'American Express' ? 'american_express' : card.company.toLowerCase(),
    },
    receipt: {},
    amount: amount(total),
    currency: CURRENCY,
    payment_id: `#${order.number}.${order.attempts.indexOf(attempt) + 1}`,
    total_unsettled_set: {
      presentment_money: { amount: attempt.status === 'success' ? amount(total) : '0.00', currency: CURRENCY },
      shop_money: { amount: attempt.status === 'success' ? amount(total) : '0.00', currency: CURRENCY },
    },
    manual_payment_gateway: false,
    amount_rounding: null,
    admin_graphql_api_id: `gid://shopify/OrderTransaction/${attempt.id}`,
  };
}

/**
 * The fulfillments/create body when the parcel leaves (`fulfillments_create.json` shape), or,
 * `delivered`, the fulfillments/update body the carrier's delivery scan makes Shopify send:
 * `shipment_status: "delivered"`, `updated_at` the delivery time (bodies carry no delivery
 * timestamp of their own; the app reads `updated_at`).
 */
export function fulfillmentBody(f: FulfillmentPlan, delivered: boolean): Body {
  const { order } = f;
  const shipped = iso(f.shippedAt);
  const address = order.buyer.address;
  return {
    id: f.id,
    order_id: order.id,
    status: 'success',
    created_at: shipped,
    service: 'manual',
    updated_at: delivered ? iso(f.deliveredAt) : shipped,
    tracking_company: f.carrier,
    shipment_status: delivered ? 'delivered' : 'in_transit',
    location_id: 71_234_567_890,
    origin_address: null,
    email: order.buyer.person.email,
    destination: addressBody(address),
    line_items: order.lines.map((line) => {
      const { id, admin_graphql_api_id, variant_id, title, quantity, sku: lineSku, variant_title, vendor, product_id, price, gift_card } = lineItemBody(line);
      return { id, variant_id, title, quantity, sku: lineSku, variant_title, vendor, product_id, gift_card, price, admin_graphql_api_id };
    }),
    tracking_number: f.tracking,
    tracking_numbers: [f.tracking],
    tracking_url: `https://tracking.example/${f.carrier.toLowerCase()}/${f.tracking}`,
    tracking_urls: [`https://tracking.example/${f.carrier.toLowerCase()}/${f.tracking}`],
    receipt: {},
    name: `#${order.number}.1`,
    admin_graphql_api_id: `gid://shopify/Fulfillment/${f.id}`,
  };
}

const returnGid = (ret: ReturnPlan) => `gid://shopify/Return/${ret.id}`;

/**
 * A returns/request body (`returns_request.json` shape: the order nested, no timestamp; the app
 * dates it by the delivery's X-Shopify-Triggered-At). Shopify's samples list no return line;
 * each line here takes the shape the normalizer reads (second-hand, `normalizeReturn.ts`):
 * `fulfillment_line_item.line_item`, `quantity`, `return_reason`, `return_reason_note`.
 */
export function returnRequestBody(ret: ReturnPlan): Body {
  return {
    id: ret.id,
    admin_graphql_api_id: returnGid(ret),
    status: 'requested',
    order: { id: ret.order.id, admin_graphql_api_id: orderGid(ret.order) },
    total_return_line_items: ret.lines.length,
    name: `#${ret.order.number}-R1`,
    return_line_items: ret.lines.map(({ line, reason, note }, i) => ({
      id: ret.id * 10 + i,
      admin_graphql_api_id: `gid://shopify/ReturnLineItem/${ret.id * 10 + i}`,
      fulfillment_line_item: { id: line.id + 500_000_000_000, admin_graphql_api_id: `gid://shopify/FulfillmentLineItem/${line.id + 500_000_000_000}`, line_item: { id: line.id, admin_graphql_api_id: lineGid(line) } },
      quantity: line.quantity,
      return_reason: reason,
      return_reason_note: note ?? null,
      customer_note: null,
    })),
    return_shipping_fees: [],
    exchange_line_items: ret.exchange ? ret.lines.map((_, i) => ({ id: ret.id * 10 + 5 + i, admin_graphql_api_id: `gid://shopify/ExchangeLineItem/${ret.id * 10 + 5 + i}`, line_item: null })) : [],
    total_exchange_line_items: ret.exchange ? ret.lines.length : 0,
  };
}

/** A returns/close body (`returns_close.json` shape: a bare `order_id` and the status). */
export function returnCloseBody(ret: ReturnPlan): Body {
  return { id: ret.id, admin_graphql_api_id: returnGid(ret), order_id: ret.order.id, status: 'closed' };
}

/**
 * A refunds/create body (`refunds_create.json` shape) of a return's refund: the lines at what was
 * paid for them, restocked; a refund transaction to the card, or to store credit; an exchange
 * moves no money (no transaction, the return's exchange lines named).
 */
export function refundBody(refund: RefundPlan): Body {
  const { ret } = refund;
  const order = ret.order;
  const at = iso(refund.at);
  const total = round2(ret.lines.reduce((sum, { line }) => sum + lineRefund(line), 0));
  const gateway = refund.method === 'store_credit' ? STORE_CREDIT_GATEWAY : GATEWAY;
  return {
    id: refund.id,
    order_id: order.id,
    created_at: at,
    note: null,
    user_id: null,
    processed_at: at,
    duties: [],
    total_duties_set: moneyBag(0),
    return: {
      id: ret.id,
      admin_graphql_api_id: returnGid(ret),
      ...(refund.method === 'exchange' ? { exchange_line_items: ret.lines.map((_, i) => ({ id: ret.id * 10 + 5 + i })) } : {}),
    },
    refund_shipping_lines: [],
    restock: false,
    admin_graphql_api_id: `gid://shopify/Refund/${refund.id}`,
    order_adjustments: [],
    refund_line_items: ret.lines.map(({ line }, i) => ({
      id: refund.id * 10 + i,
      quantity: line.quantity,
      line_item_id: line.id,
      location_id: null,
      restock_type: 'return',
      subtotal: lineRefund(line),
      total_tax: 0,
      subtotal_set: moneyBag(lineRefund(line)),
      total_tax_set: moneyBag(0),
      line_item: lineItemBody(line),
    })),
    transactions: refund.method === 'exchange' ? [] : [
      {
        id: refund.transactionId,
        order_id: order.id,
        kind: 'refund',
        gateway,
        status: 'success',
        message: null,
        created_at: at,
        test: false,
        authorization: null,
        location_id: null,
        user_id: null,
        parent_id: order.attempts.at(-1)!.id,
        processed_at: at,
        device_id: null,
        error_code: null,
        source_name: 'web',
        receipt: {},
        amount: amount(total),
        currency: CURRENCY,
        payment_id: `#${order.number}.r${refund.id % 1000}`,
        total_unsettled_set: { presentment_money: { amount: '0.0', currency: 'XXX' }, shop_money: { amount: '0.0', currency: 'XXX' } },
        manual_payment_gateway: false,
        amount_rounding: null,
        admin_graphql_api_id: `gid://shopify/OrderTransaction/${refund.transactionId}`,
      },
    ],
  };
}

/** The card networks' reason codes of each dispute reason (Visa's, Mastercard's). */
const NETWORK_CODES: Record<DisputePlan['reason'], { visa: string; other: string }> = {
  fraudulent: { visa: '10.4', other: '4837' },
  product_not_received: { visa: '13.1', other: '4855' },
  product_unacceptable: { visa: '13.3', other: '4853' },
};

/** A disputes/create body (`disputes_create.json` shape): a new chargeback for the order's total. */
export function disputeBody(dispute: DisputePlan): Body {
  const card = dispute.order.attempts.at(-1)!.card;
  return {
    id: dispute.id,
    order_id: dispute.order.id,
    type: 'chargeback',
    amount: amount(totalOf(dispute.order)),
    currency: CURRENCY,
    reason: dispute.reason,
    network_reason_code: card.company === 'Visa' ? NETWORK_CODES[dispute.reason].visa : NETWORK_CODES[dispute.reason].other,
    status: 'needs_response',
    evidence_due_by: iso(dispute.at + 14 * 86_400_000),
    evidence_sent_on: null,
    finalized_on: null,
    initiated_at: iso(dispute.at),
  };
}
