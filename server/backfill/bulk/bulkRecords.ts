import type { ChargebackRecord, FulfillmentRecord } from '../../../sdk/index.ts';
import type { HistoryEvent } from '../../../engine/history/index.ts';
import type { LineItemPayload, OrderPayload } from '../../shopify/normalize/orderPayload.ts';
import type { AddressPayload } from '../../shopify/normalize/orderPayload.ts';
import type { ReturnLineItemPayload } from '../../shopify/normalize/returnPayload.ts';
import type { RefundPayload } from '../../shopify/normalize/refundPayload.ts';
import { normalizeLineItem, normalizeOrder, normalizeRefund, normalizeReturn, withOrderLines } from '../../shopify/normalize/index.ts';
import { normalizeRiskAssessment } from '../../shopify/normalize/normalizeRiskAssessment.ts';
import { normalizeTransaction } from '../../shopify/normalize/normalizeTransaction.ts';
import type { RiskAssessmentPayload } from '../../shopify/normalize/riskAssessmentPayload.ts';
import type { TransactionPayload } from '../../shopify/normalize/transactionPayload.ts';
import { withCheckoutFacts } from '../../../engine/history/checkoutFacts.ts';
import type { RiskAssessmentRecord, TransactionRecord } from '../../../sdk/index.ts';
import { toMoney } from '../../shopify/normalize/money.ts';
import type { FetchStage, HistoryWindow } from '../HistorySource.ts';
import { BulkResultError, type AssembledNode, type BulkNode } from './bulkJsonl.ts';

/**
 * Shopify's GraphQL nodes (as the bulk queries of `bulkQueries.ts` select them) turned into our
 * records. Orders, returns and refunds are rewritten into the webhook (REST) shape and go
 * through the same normalizers and payload schemas as live webhooks, so a backfilled record is
 * hashed, scrubbed and valued exactly like the live one would have been.
 */

type Money = { shopMoney: { amount: string; currencyCode?: string } } | null | undefined;
type Gql = Record<string, unknown>;

/** The numeric tail of a gid (kept as a string: it can exceed 2^53). */
export function numericId(gid: string): string {
  const match = /\/(\d+)(?:\?.*)?$/.exec(gid);
  if (!match) throw new BulkResultError(`not a numeric Shopify gid: ${JSON.stringify(gid)}`);
  return match[1];
}

function bag(money: Money) {
  return money ? { shop_money: { amount: money.shopMoney.amount, currency_code: money.shopMoney.currencyCode ?? '' } } : undefined;
}

function amount(money: Money): string {
  return money?.shopMoney.amount ?? '0';
}

function ref(gid: string | undefined | null) {
  return gid ? { id: numericId(gid), admin_graphql_api_id: gid } : null;
}

function address(node: Gql | null | undefined): AddressPayload | null {
  if (!node) return null;
  return {
    address1: node.address1 as string | null,
    address2: node.address2 as string | null,
    city: node.city as string | null,
    zip: node.zip as string | null,
    province: node.province as string | null,
    province_code: node.provinceCode as string | null,
    country: node.country as string | null,
    country_code: node.countryCodeV2 as string | null,
    latitude: node.latitude as number | null,
    longitude: node.longitude as number | null,
    phone: node.phone as string | null,
  };
}

function lineItemPayload(node: BulkNode): LineItemPayload {
  const allocations = (node.discountAllocations as { allocatedAmountSet: Money }[] | undefined) ?? [];
  return {
    id: numericId(node.id),
    admin_graphql_api_id: node.id,
    product_id: node.product ? numericId((node.product as Gql).id as string) : null,
    variant_id: node.variant ? numericId((node.variant as Gql).id as string) : null,
    sku: node.sku as string | null,
    title: node.title as string | null,
    variant_title: node.variantTitle as string | null,
    vendor: node.vendor as string | null,
    quantity: node.quantity as number,
    price: amount(node.originalUnitPriceSet as Money),
    price_set: bag(node.originalUnitPriceSet as Money),
    total_discount: amount(node.totalDiscountSet as Money),
    total_discount_set: bag(node.totalDiscountSet as Money),
    discount_allocations: allocations.map((a) => ({ amount: amount(a.allocatedAmountSet), amount_set: bag(a.allocatedAmountSet) })),
    gift_card: node.isGiftCard as boolean | undefined,
    requires_shipping: node.requiresShipping as boolean | undefined,
  };
}

/** An order node (with its LineItem children) in the orders/* webhook shape. */
export function orderPayloadOf(root: AssembledNode): OrderPayload {
  const o = root.node;
  const customer = o.customer as Gql | null;
  const shipping = o.shippingLine as Gql | null;
  const time = (o.processedAt as string | null) ?? (o.createdAt as string);
  return {
    id: numericId(o.id),
    admin_graphql_api_id: o.id,
    name: o.name as string | null,
    created_at: o.createdAt as string,
    updated_at: time,
    processed_at: o.processedAt as string | null,
    cancelled_at: o.cancelledAt as string | null,
    currency: o.currencyCode as string,
    total_price: amount(o.totalPriceSet as Money),
    total_price_set: bag(o.totalPriceSet as Money),
    subtotal_price: amount(o.subtotalPriceSet as Money),
    subtotal_price_set: bag(o.subtotalPriceSet as Money),
    total_discounts: amount(o.totalDiscountsSet as Money),
    total_discounts_set: bag(o.totalDiscountsSet as Money),
    total_shipping_price_set: bag(o.totalShippingPriceSet as Money) ?? null,
    discount_codes: ((o.discountCodes as string[] | undefined) ?? []).map((code) => ({ code })),
    financial_status: (o.displayFinancialStatus as string | null)?.toLowerCase() ?? null,
    source_name: o.sourceName as string | null,
    payment_gateway_names: (o.paymentGatewayNames as string[] | undefined) ?? [],
    tags: ((o.tags as string[] | undefined) ?? []).join(', '),
    email: o.email as string | null,
    phone: o.phone as string | null,
    browser_ip: o.clientIp as string | null,
    customer: customer
      ? {
          id: numericId(customer.id as string),
          admin_graphql_api_id: customer.id as string,
          created_at: customer.createdAt as string | null,
          state: (customer.state as string | null | undefined) ?? null,
          email: (customer.defaultEmailAddress as Gql | null)?.emailAddress as string | null,
          phone: (customer.defaultPhoneNumber as Gql | null)?.phoneNumber as string | null,
          tags: ((customer.tags as string[] | undefined) ?? []).join(', '),
          default_address: address(customer.defaultAddress as Gql | null),
        }
      : null,
    billing_address: address(o.billingAddress as Gql | null),
    shipping_address: address(o.shippingAddress as Gql | null),
    line_items: (root.children.get('LineItem') ?? []).map(lineItemPayload),
    shipping_lines: shipping ? [{ title: shipping.title as string, code: shipping.code as string | null, price: amount(shipping.originalPriceSet as Money), price_set: bag(shipping.originalPriceSet as Money) }] : [],
  } as OrderPayload;
}

function inWindow(at: string | null | undefined, window: HistoryWindow): boolean {
  if (!at) return false;
  const t = Date.parse(at);
  return t >= Date.parse(window.from) && t < Date.parse(window.to);
}

/** An `OrderTransaction` node in the order_transactions/create (REST Transaction) shape; GraphQL enums lowercased as webhooks send them. */
export function transactionPayloadOf(node: Gql, orderGid: string): TransactionPayload {
  const card = (node.paymentDetails as Gql | null | undefined) ?? null;
  const text = (value: unknown) => (typeof value === 'string' ? value : null);
  return {
    id: numericId(node.id as string),
    admin_graphql_api_id: node.id as string,
    order_id: numericId(orderGid),
    kind: String(node.kind).toLowerCase(),
    status: String(node.status).toLowerCase(),
    gateway: text(node.gateway),
    created_at: node.createdAt as string,
    processed_at: text(node.processedAt),
    test: node.test === true,
    error_code: text(node.errorCode)?.toLowerCase() ?? null,
    amount: amount(node.amountSet as Money),
    // Only CardPaymentDetails is selected: another kind of payment comes as an empty object.
    payment_details: card && Object.keys(card).length > 0
      ? {
          credit_card_bin: text(card.bin),
          avs_result_code: text(card.avsResultCode),
          cvv_result_code: text(card.cvvResultCode),
          credit_card_number: text(card.number),
          credit_card_company: text(card.company),
          credit_card_name: text(card.name),
          credit_card_wallet: text(card.wallet)?.toLowerCase() ?? null,
          credit_card_expiration_month: (card.expirationMonth as number | null | undefined) ?? null,
          credit_card_expiration_year: (card.expirationYear as number | null | undefined) ?? null,
        }
      : null,
  };
}

/**
 * Shopify's own assessment of an order (`risk.assessments` with no provider app) in the
 * orders/risk_assessment_changed shape, through its normalizer, with its facts' sentiments.
 * GraphQL gives no assessment time: it is dated at the order's creation (made at checkout).
 */
export function riskOf(root: AssembledNode): RiskAssessmentRecord | undefined {
  const o = root.node;
  const assessments = (((o.risk as Gql | null | undefined)?.assessments as Gql[] | undefined) ?? []).filter((a) => !a.provider);
  const assessment = assessments.at(-1);
  if (!assessment) return undefined;
  const body: RiskAssessmentPayload = { risk_level: String(assessment.riskLevel), provider_id: null, created_at: null, order_id: numericId(o.id), admin_graphql_api_order_id: o.id };
  const sentiments = ((assessment.facts as Gql[] | undefined) ?? []).map((f) => String(f.sentiment));
  const risk = normalizeRiskAssessment(body, { triggeredAt: o.createdAt as string, facts: sentiments });
  return 'ignored' in risk ? undefined : risk;
}

/**
 * An order root of the orders stage: the buyer's snapshot (if any), the order, its payment
 * transactions and Shopify's assessment, the order with the facts these give it (its card as
 * `identity.payment`, `shopifyRisk`), as the stored order takes them from its webhooks.
 */
export function orderEvents(root: AssembledNode, shopKey: string): HistoryEvent[] {
  const normalized = normalizeOrder(orderPayloadOf(root), shopKey);
  const { customer } = normalized;
  const transactions: TransactionRecord[] = ((root.node.transactions as Gql[] | undefined) ?? []).map((node) => normalizeTransaction(transactionPayloadOf(node, root.node.id), shopKey));
  const risk = riskOf(root);
  const order = withCheckoutFacts(normalized.order, transactions, risk);
  return [
    ...(customer ? [{ type: 'customer', customer } as HistoryEvent] : []),
    { type: 'order', order },
    ...transactions.map((transaction): HistoryEvent => ({ type: 'transaction', transaction })),
    ...(risk ? [{ type: 'risk', risk } as HistoryEvent] : []),
  ];
}

/**
 * The window's fulfilments of an order root. GraphQL gives the carrier's delivery time
 * (`deliveredAt`), which webhooks do not. Fulfilment lines are a connection inside a list, which
 * a bulk query cannot select; no signal reads them, so they are left empty.
 */
export function fulfillmentEvents(root: AssembledNode, window: HistoryWindow): HistoryEvent[] {
  const fulfillments = (root.node.fulfillments as Gql[] | undefined) ?? [];
  return fulfillments
    .filter((f) => inWindow(f.createdAt as string, window))
    .map((f) => {
      const fulfillment: FulfillmentRecord = {
        id: f.id as string,
        orderId: root.node.id,
        createdAt: f.createdAt as string,
        deliveredAt: (f.deliveredAt as string | null) ?? null,
        ...(f.status ? { status: (f.status as string).toLowerCase() } : {}),
        lineItems: [],
      };
      return { type: 'fulfillment', fulfillment } as HistoryEvent;
    });
}

/** A return or refund found in a bulk result, waiting for its lines (fetched by id). */
export interface PendingRecord {
  kind: 'return' | 'refund';
  id: string;
  at: string;
  orderId: string;
  customerId: string | null;
  node: Gql;
  /** The order's lines, for a return's SKUs and unit prices paid. */
  orderLines?: ReturnType<typeof normalizeLineItem>[];
}

export function pendingReturns(root: AssembledNode, window: HistoryWindow): PendingRecord[] {
  const customerId = ((root.node.customer as Gql | null)?.id as string | undefined) ?? null;
  const orderLines = (root.children.get('LineItem') ?? []).map((line) => normalizeLineItem(lineItemPayload(line)));
  return (root.children.get('Return') ?? [])
    .filter((r) => inWindow(r.createdAt as string, window))
    .map((r) => ({ kind: 'return', id: r.id, at: r.createdAt as string, orderId: root.node.id, customerId, node: r, orderLines }));
}

export function pendingRefunds(root: AssembledNode, window: HistoryWindow): PendingRecord[] {
  const customerId = ((root.node.customer as Gql | null)?.id as string | undefined) ?? null;
  return ((root.node.refunds as Gql[] | undefined) ?? [])
    .filter((r) => inWindow(r.createdAt as string, window))
    .map((r) => ({ kind: 'refund', id: r.id as string, at: r.createdAt as string, orderId: root.node.id, customerId, node: r }));
}

/** What `BackfillReturnDetails` / `BackfillRefundDetails` answer for one record. */
export type RecordDetails = Gql;

/** A return with its lines, through the returns/* normalizer. */
export function returnEvent(pending: PendingRecord, details: RecordDetails | undefined): HistoryEvent {
  const r = pending.node;
  const lines = ((details?.returnLineItems as { nodes: Gql[] } | undefined)?.nodes ?? []) as Gql[];
  const body = {
    id: numericId(pending.id),
    admin_graphql_api_id: pending.id,
    status: r.status as string,
    order: ref(pending.orderId),
    customer: ref(pending.customerId),
    created_at: r.createdAt as string,
    closed_at: (r.closedAt as string | null) ?? null,
    total_return_line_items: lines.length,
    return_line_items: lines.map((line): ReturnLineItemPayload => {
      const definition = (line.returnReasonDefinition as Gql | null)?.handle as string | undefined;
      const lineItemId = ((line.fulfillmentLineItem as Gql | undefined)?.lineItem as Gql | undefined)?.id as string | undefined;
      return {
        quantity: line.quantity as number,
        line_item: lineItemId ? ref(lineItemId) : null,
        return_reason: (line.returnReason as string | undefined) ?? definition?.replace(/-/g, '_') ?? null,
        return_reason_note: (line.returnReasonNote as string | null) ?? null,
        customer_note: (line.customerNote as string | null) ?? null,
      };
    }),
    total_exchange_line_items: ((details?.exchangeLineItems as { nodes: unknown[] } | undefined)?.nodes ?? []).length,
  };
  const ret = normalizeReturn(body);
  return { type: 'return', return: withOrderLines(ret, { lineItems: pending.orderLines ?? [], customerId: pending.customerId }) };
}

/** A refund with its lines and transactions, through the refunds/create normalizer. */
export function refundEvent(pending: PendingRecord, details: RecordDetails | undefined): HistoryEvent {
  const r = pending.node;
  const lines = ((details?.refundLineItems as { nodes: Gql[] } | undefined)?.nodes ?? []) as Gql[];
  const transactions = ((details?.transactions as { nodes: Gql[] } | undefined)?.nodes ?? []) as Gql[];
  const returnId = (r.return as Gql | null)?.id as string | undefined;
  const body: RefundPayload = {
    id: numericId(pending.id),
    admin_graphql_api_id: pending.id,
    order_id: numericId(pending.orderId),
    created_at: r.createdAt as string,
    return: returnId ? { id: numericId(returnId), admin_graphql_api_id: returnId } : null,
    refund_line_items: lines.map((line) => {
      const lineItemId = (line.lineItem as Gql).id as string;
      return {
        line_item_id: numericId(lineItemId),
        line_item: { admin_graphql_api_id: lineItemId },
        quantity: line.quantity as number,
        restock_type: (line.restockType as string | null)?.toLowerCase() ?? null,
        subtotal: amount(line.subtotalSet as Money),
        subtotal_set: bag(line.subtotalSet as Money),
      };
    }),
    // Without details (none fetched) the refund is valued by Shopify's own total.
    transactions: details
      ? transactions.map((tx) => ({
          kind: (tx.kind as string).toLowerCase(),
          status: (tx.status as string).toLowerCase(),
          gateway: tx.gateway as string | null,
          amount: amount(tx.amountSet as Money),
          amount_set: bag(tx.amountSet as Money),
        }))
      : [{ kind: 'refund', status: 'success', gateway: null, amount: amount(r.totalRefundedSet as Money) }],
  };
  const refund = normalizeRefund(body);
  return { type: 'refund', refund: { ...refund, customerId: pending.customerId } };
}

/** A dispute root of the chargebacks stage (GraphQL enums lowercased, as webhooks send them). */
export function chargebackEvents(root: AssembledNode, window: HistoryWindow): HistoryEvent[] {
  const d = root.node;
  const orderId = (d.order as Gql | null)?.id as string | undefined;
  if (!orderId || !inWindow(d.initiatedAt as string, window)) return [];
  const type = (d.type as string | undefined)?.toLowerCase();
  const reason = ((d.reasonDetails as Gql | null)?.reason as string | undefined)?.toLowerCase();
  const chargeback: ChargebackRecord = {
    id: d.id,
    orderId,
    initiatedAt: d.initiatedAt as string,
    amount: toMoney((d.amount as { amount: string }).amount),
    ...(reason ? { reason } : {}),
    status: (d.status as string).toLowerCase(),
    ...(type === 'chargeback' || type === 'inquiry' ? { type } : {}),
  };
  return [{ type: 'chargeback', chargeback }];
}

/** One record of a stage's result, in the order the stage pages through them. */
export interface StageItem {
  at: string;
  id: string;
  /** Ready events (orders with their buyer, fulfilments, chargebacks). */
  events?: HistoryEvent[];
  /** A return or refund still to be completed with its lines. */
  pending?: PendingRecord;
}

/** A stage's records from its assembled bulk result, in time order (ties by id), the window applied. */
export function stageItems(stage: FetchStage, roots: readonly AssembledNode[], window: HistoryWindow, shopKey: string): StageItem[] {
  const items: StageItem[] = [];
  for (const root of roots) {
    switch (stage) {
      case 'orders':
        items.push({ at: root.node.createdAt as string, id: root.node.id, events: orderEvents(root, shopKey) });
        break;
      case 'fulfillments':
        for (const event of fulfillmentEvents(root, window)) {
          const { fulfillment } = event as Extract<HistoryEvent, { type: 'fulfillment' }>;
          items.push({ at: fulfillment.createdAt, id: fulfillment.id, events: [event] });
        }
        break;
      case 'returns':
        for (const pending of pendingReturns(root, window)) items.push({ at: pending.at, id: pending.id, pending });
        break;
      case 'refunds':
        for (const pending of pendingRefunds(root, window)) items.push({ at: pending.at, id: pending.id, pending });
        break;
      case 'chargebacks':
        for (const event of chargebackEvents(root, window)) {
          const { chargeback } = event as Extract<HistoryEvent, { type: 'chargeback' }>;
          items.push({ at: chargeback.initiatedAt, id: chargeback.id, events: [event] });
        }
        break;
    }
  }
  return items.sort((a, b) => Date.parse(a.at) - Date.parse(b.at) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** A page's events: returns and refunds completed with their details (by id), buyers once each. */
export function pageEvents(stage: FetchStage, slice: readonly StageItem[], details: ReadonlyMap<string, RecordDetails>): HistoryEvent[] {
  if (stage === 'returns') return slice.map((item) => returnEvent(item.pending!, details.get(item.id)));
  if (stage === 'refunds') return slice.map((item) => refundEvent(item.pending!, details.get(item.id)));
  return onceEach(slice.flatMap((item) => item.events ?? []));
}

/** A buyer with several orders on the page is stored once, as of the latest of them (one upsert may not touch a row twice). */
function onceEach(events: HistoryEvent[]): HistoryEvent[] {
  const customers = new Map<string, number>();
  events.forEach((event, index) => {
    if (event.type === 'customer') customers.set(event.customer.id, index);
  });
  return events.filter((event, index) => event.type !== 'customer' || customers.get(event.customer.id) === index);
}
