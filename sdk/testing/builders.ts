import type {
  CustomerHistory,
  CustomerSnapshot,
  HashedLists,
  IsoTime,
  LineItem,
  OrderRecord,
  RefundRecord,
  ReturnRecord,
  ShopBaseline,
  SignalContext,
  Subject,
} from '../context.ts';

/**
 * Small builders for test contexts: each fills a valid default for every required field, so
 * a test states only what matters to it. Ids are GID strings; times are ISO strings.
 */

let sequence = 0;
/** A fresh GID of the given type (deterministic within a test file). */
export function gid(type: string, n?: number): string {
  return `gid://shopify/${type}/${n ?? ++sequence}`;
}

export function makeLineItem(overrides: Partial<LineItem> = {}): LineItem {
  return {
    id: gid('LineItem'),
    productId: 'gid://shopify/Product/1',
    variantId: 'gid://shopify/ProductVariant/1',
    sku: 'SKU-1',
    title: 'Linen shirt',
    variantTitle: 'M',
    quantity: 1,
    price: 50,
    totalDiscount: 0,
    ...overrides,
  };
}

export function makeOrder(overrides: Partial<OrderRecord> = {}): OrderRecord {
  const lineItems = overrides.lineItems ?? [makeLineItem()];
  const subtotal = lineItems.reduce((sum, item) => sum + item.price * item.quantity - item.totalDiscount, 0);
  return {
    id: gid('Order'),
    customerId: 'gid://shopify/Customer/1',
    createdAt: '2026-01-10T10:00:00Z',
    currency: 'USD',
    totalPrice: subtotal,
    subtotalPrice: subtotal,
    totalDiscounts: lineItems.reduce((sum, item) => sum + item.totalDiscount, 0),
    discountCodes: [],
    gateways: ['shopify_payments'],
    lineItems,
    shippingLines: [{ title: 'Standard', price: 5, speed: 'standard' }],
    identity: {},
    tags: [],
    ...overrides,
  };
}

export function makeReturn(order: OrderRecord, overrides: Partial<ReturnRecord> = {}): ReturnRecord {
  const lineItems =
    overrides.lineItems ??
    order.lineItems.slice(0, 1).map((item) => ({
      lineItemId: item.id,
      sku: item.sku,
      productId: item.productId,
      variantId: item.variantId,
      quantity: item.quantity,
      unitPrice: item.price,
      reason: 'SIZE_TOO_LARGE',
    }));
  return {
    id: gid('Return'),
    orderId: order.id,
    customerId: order.customerId,
    status: 'requested',
    createdAt: '2026-01-20T10:00:00Z',
    lineItems,
    exchangeLineItemCount: 0,
    totalValue: lineItems.reduce((sum, item) => sum + (item.unitPrice ?? 0) * item.quantity, 0),
    ...overrides,
  };
}

export function makeRefund(order: OrderRecord, overrides: Partial<RefundRecord> = {}): RefundRecord {
  return {
    id: gid('Refund'),
    orderId: order.id,
    customerId: order.customerId,
    createdAt: '2026-01-25T10:00:00Z',
    amount: order.totalPrice,
    method: 'original_payment',
    lineItems: order.lineItems.map((item) => ({ lineItemId: item.id, quantity: item.quantity, subtotal: item.price })),
    ...overrides,
  };
}

export function emptyHistory(): CustomerHistory {
  return { orders: [], fulfillments: [], returns: [], refunds: [], chargebacks: [], decisions: [], outcomes: [], transactions: [] };
}

export function emptyBaseline(): ShopBaseline {
  return { measures: {}, skuReturnRates: {} };
}

export function emptyLists(): HashedLists {
  return { blocked: {}, allowed: {} };
}

export interface ContextOverrides {
  now?: IsoTime;
  shopId?: string;
  customer?: CustomerSnapshot | null;
  history?: Partial<CustomerHistory>;
  baseline?: Partial<ShopBaseline>;
  lists?: Partial<HashedLists>;
  derived?: Record<string, unknown>;
}

/** A whole context around a subject; `now` defaults to the subject's time. */
export function makeContext(subject: Subject, overrides: ContextOverrides = {}): SignalContext {
  const customerId = subject.order.customerId;
  return {
    shopId: overrides.shopId ?? 'demo.myshopify.com',
    now: overrides.now ?? subject.at,
    subject,
    customer:
      overrides.customer !== undefined
        ? overrides.customer
        : customerId
          ? { id: customerId, createdAt: '2025-06-01T00:00:00Z', tags: [], identity: {} }
          : null,
    history: { ...emptyHistory(), ...overrides.history },
    baseline: { ...emptyBaseline(), ...overrides.baseline },
    lists: { ...emptyLists(), ...overrides.lists },
    derived: overrides.derived ?? {},
  };
}

/** Context for scoring an order at its creation. */
export function orderContext(order: OrderRecord = makeOrder(), overrides: ContextOverrides = {}): SignalContext {
  return makeContext({ kind: 'order', id: order.id, at: order.createdAt, order }, overrides);
}

/** Context for scoring a return; the return's order is put in the history unless given. */
export function returnContext(
  ret?: ReturnRecord,
  order: OrderRecord = makeOrder(),
  overrides: ContextOverrides = {},
): SignalContext {
  const theReturn = ret ?? makeReturn(order);
  const history = { orders: [order], ...overrides.history };
  return makeContext(
    { kind: 'return', id: theReturn.id, at: theReturn.createdAt, return: theReturn, order },
    { ...overrides, history },
  );
}

/** Context for scoring a refund; the refund's order is put in the history unless given. */
export function refundContext(
  refund?: RefundRecord,
  order: OrderRecord = makeOrder(),
  overrides: ContextOverrides & { return?: ReturnRecord | null } = {},
): SignalContext {
  const theRefund = refund ?? makeRefund(order);
  const history = { orders: [order], ...overrides.history };
  return makeContext(
    { kind: 'refund', id: theRefund.id, at: theRefund.createdAt, refund: theRefund, order, return: overrides.return ?? null },
    { ...overrides, history },
  );
}
