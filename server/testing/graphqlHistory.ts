import type { HistoryEvent } from '../../engine/history/index.ts';
import type { CustomerSnapshot, OrderRecord, RefundMethod, TransactionRecord } from '../../sdk/index.ts';
import type { DoubleHistory, GqlObject } from './bulkOperationsDouble.ts';

/**
 * A normalized history (the scenario generator's) written the way Shopify's GraphQL would hold
 * it, to seed the double's bulk operations. Our records keep only keyed hashes, so raw
 * identifiers are made up from them, one per hash (the same customer gets the same email):
 * what comes back through normalization has other hashes but the same equalities.
 */

const money = (amount: number | undefined, currencyCode = 'USD') => ({ shopMoney: { amount: (amount ?? 0).toFixed(2), currencyCode } });

const GATEWAY: Record<RefundMethod, string | null> = {
  original_payment: 'shopify_payments',
  store_credit: 'shopify_store_credit',
  gift_card: 'gift_card',
  cash: 'cash',
  exchange: null,
  other: 'manual',
};

function addressOf(summary: OrderRecord['shippingAddress'], hash: string | undefined) {
  if (!summary && !hash) return null;
  return {
    address1: `${hash ?? 'unknown'} Main Street`,
    address2: null,
    city: 'Springfield',
    zip: summary?.postcodePrefix ?? null,
    province: null,
    provinceCode: summary?.provinceCode ?? null,
    country: null,
    countryCodeV2: summary?.countryCode ?? null,
    latitude: summary?.latitude ?? null,
    longitude: summary?.longitude ?? null,
    phone: null,
  };
}

const email = (hash: string | undefined) => (hash ? `buyer-${hash}@example.com` : null);
const phone = (hash: string | undefined) => (hash ? `+1555${String(parseInt(hash.slice(0, 7), 16) % 10_000_000).padStart(7, '0')}` : null);

function customerNode(customer: CustomerSnapshot) {
  return {
    id: customer.id,
    createdAt: customer.createdAt ?? null,
    state: customer.accountState ? customer.accountState.toUpperCase() : 'DISABLED',
    tags: customer.tags,
    defaultEmailAddress: customer.identity.email ? { emailAddress: email(customer.identity.email) } : null,
    defaultPhoneNumber: customer.identity.phone ? { phoneNumber: phone(customer.identity.phone) } : null,
    defaultAddress: customer.identity.address ? addressOf(undefined, customer.identity.address) : null,
  };
}

/**
 * A transaction as `Order.transactions` gives it. The card is made up from its keyed fingerprint
 * (BIN, last four, expiry and holder from the hash's digits): the same card again gives the same
 * details, so the fingerprint made from them links the same orders.
 */
function transactionNode(t: TransactionRecord, currencyCode: string) {
  const digits = (hash: string, n: number) => String(parseInt(hash.slice(0, 12), 16)).padStart(n, '0').slice(-n);
  const card = t.cardHash
    ? {
        __typename: 'CardPaymentDetails',
        avsResultCode: t.avsResultCode ?? null,
        cvvResultCode: t.cvvResultCode ?? null,
        bin: `4${digits(t.cardHash, 5)}`,
        company: t.cardCompany ?? 'Visa',
        number: `•••• •••• •••• ${digits(t.cardHash.slice(12), 4)}`,
        name: `Holder ${t.cardHash.slice(0, 8)}`,
        expirationMonth: 1 + (parseInt(t.cardHash.slice(20, 22), 16) % 12),
        expirationYear: 2027 + (parseInt(t.cardHash.slice(22, 24), 16) % 6),
        wallet: t.wallet?.toUpperCase() ?? null,
      }
    : t.avsResultCode || t.cvvResultCode || t.cardCompany
      ? { __typename: 'CardPaymentDetails', avsResultCode: t.avsResultCode ?? null, cvvResultCode: t.cvvResultCode ?? null, bin: null, company: t.cardCompany ?? null, number: null, name: null, expirationMonth: null, expirationYear: null, wallet: t.wallet?.toUpperCase() ?? null }
      : null;
  return {
    id: t.id,
    kind: t.kind.toUpperCase(),
    status: t.status.toUpperCase(),
    gateway: t.gateway ?? null,
    createdAt: t.createdAt,
    processedAt: t.createdAt,
    test: t.test ?? false,
    errorCode: t.errorCode?.toUpperCase() ?? null,
    amountSet: money(t.amount, currencyCode),
    paymentDetails: card,
  };
}

export function graphqlHistory(events: readonly HistoryEvent[]): DoubleHistory {
  const customers = new Map<string, CustomerSnapshot>();
  const orders = new Map<string, GqlObject>();
  const disputes: GqlObject[] = [];
  /** Transactions listed before their order (a declined attempt comes before the order exists), attached when it comes. */
  const early = new Map<string, TransactionRecord[]>();
  const touch = (order: GqlObject, at: string) => {
    if (Date.parse(at) > Date.parse(order.updatedAt as string)) order.updatedAt = at;
  };
  for (const event of events) {
    switch (event.type) {
      case 'customer':
        customers.set(event.customer.id, event.customer);
        break;
      case 'order': {
        const o = event.order;
        const customer = o.customerId ? customers.get(o.customerId) : undefined;
        orders.set(o.id, {
          id: o.id,
          name: o.name ?? null,
          createdAt: o.createdAt,
          updatedAt: o.createdAt,
          processedAt: o.processedAt ?? o.createdAt,
          cancelledAt: o.cancelledAt ?? null,
          currencyCode: o.currency,
          email: email(o.identity.email),
          phone: phone(o.identity.phone),
          clientIp: o.identity.ip ? `10.${parseInt(o.identity.ip.slice(0, 2), 16)}.${parseInt(o.identity.ip.slice(2, 4), 16)}.${parseInt(o.identity.ip.slice(4, 6), 16)}` : null,
          tags: o.tags,
          sourceName: o.sourceName ?? null,
          paymentGatewayNames: o.gateways,
          displayFinancialStatus: o.financialStatus?.toUpperCase() ?? null,
          discountCodes: o.discountCodes,
          totalPriceSet: money(o.totalPrice, o.currency),
          subtotalPriceSet: money(o.subtotalPrice, o.currency),
          totalDiscountsSet: money(o.totalDiscounts, o.currency),
          totalShippingPriceSet: money(o.totalShipping, o.currency),
          shippingLine: o.shippingLines[0] ? { title: o.shippingLines[0].title ?? 'Shipping', code: o.shippingLines[0].code ?? null, originalPriceSet: money(o.shippingLines[0].price, o.currency) } : null,
          shippingAddress: addressOf(o.shippingAddress, o.shippingAddress?.hash),
          billingAddress: addressOf(o.billingAddress, o.billingAddress?.hash),
          customer: customer ? customerNode(customer) : o.customerId ? { id: o.customerId, createdAt: null, tags: [], defaultEmailAddress: null, defaultPhoneNumber: null, defaultAddress: null } : null,
          lineItems: o.lineItems.map((l) => ({
            id: l.id,
            sku: l.sku ?? null,
            title: l.title ?? 'Item',
            variantTitle: l.variantTitle ?? null,
            vendor: l.vendor ?? null,
            quantity: l.quantity,
            isGiftCard: l.giftCard ?? false,
            requiresShipping: l.requiresShipping ?? true,
            product: l.productId ? { id: l.productId } : null,
            variant: l.variantId ? { id: l.variantId } : null,
            originalUnitPriceSet: money(l.price, o.currency),
            totalDiscountSet: money(l.totalDiscount, o.currency),
            discountAllocations: l.totalDiscount > 0 ? [{ allocatedAmountSet: money(l.totalDiscount, o.currency) }] : [],
          })),
          fulfillments: [],
          returns: [],
          refunds: [],
          transactions: [],
          risk: { assessments: [], recommendation: 'NONE' },
        });
        for (const t of early.get(o.id) ?? []) (orders.get(o.id)!.transactions as unknown[]).push(transactionNode(t, o.currency));
        early.delete(o.id);
        break;
      }
      case 'transaction': {
        const order = orders.get(event.transaction.orderId);
        if (!order) {
          early.set(event.transaction.orderId, [...(early.get(event.transaction.orderId) ?? []), event.transaction]);
          break;
        }
        (order.transactions as unknown[]).push(transactionNode(event.transaction, order.currencyCode as string));
        break;
      }
      case 'risk': {
        const order = orders.get(event.risk.orderId);
        if (!order) break;
        const facts = event.risk.facts ?? { negative: 0, neutral: 0, positive: 0 };
        const sentiments = [...Array(facts.negative).fill('NEGATIVE'), ...Array(facts.neutral).fill('NEUTRAL'), ...Array(facts.positive).fill('POSITIVE')];
        (order.risk as { assessments: unknown[] }).assessments = [
          { riskLevel: event.risk.level.toUpperCase(), provider: null, facts: sentiments.map((sentiment, i) => ({ description: `fact ${i + 1}`, sentiment })) },
        ];
        break;
      }
      case 'fulfillment': {
        const order = orders.get(event.fulfillment.orderId);
        if (!order) break;
        const f = event.fulfillment;
        (order.fulfillments as unknown[]).push({ id: f.id, createdAt: f.createdAt, updatedAt: f.deliveredAt ?? f.createdAt, deliveredAt: f.deliveredAt ?? null, status: (f.status ?? 'success').toUpperCase(), displayStatus: f.deliveredAt ? 'DELIVERED' : 'FULFILLED' });
        touch(order, f.deliveredAt ?? f.createdAt);
        break;
      }
      case 'return': {
        const order = orders.get(event.return.orderId);
        if (!order) break;
        const r = event.return;
        (order.returns as unknown[]).push({
          id: r.id,
          name: `${order.name ?? '#'}-R`,
          status: r.status.toUpperCase(),
          createdAt: r.createdAt,
          closedAt: r.closedAt ?? null,
          totalQuantity: r.lineItems.reduce((sum, l) => sum + l.quantity, 0),
          returnLineItems: r.lineItems.map((l, i) => ({
            __typename: 'ReturnLineItem',
            id: `gid://shopify/ReturnLineItem/${r.id.split('/').pop()}${i}`,
            quantity: l.quantity,
            returnReason: l.reason ?? 'UNKNOWN',
            returnReasonNote: l.reasonNote ?? '',
            customerNote: null,
            returnReasonDefinition: null,
            fulfillmentLineItem: { lineItem: { id: l.lineItemId } },
          })),
          exchangeLineItems: Array.from({ length: r.exchangeLineItemCount }, (_, i) => ({ id: `gid://shopify/ExchangeLineItem/${r.id.split('/').pop()}${i}` })),
        });
        touch(order, r.closedAt ?? r.createdAt);
        break;
      }
      case 'refund': {
        const order = orders.get(event.refund.orderId);
        if (!order) break;
        const r = event.refund;
        const gateway = GATEWAY[r.method];
        (order.refunds as unknown[]).push({
          id: r.id,
          createdAt: r.createdAt,
          note: null,
          totalRefundedSet: money(r.amount, order.currencyCode as string),
          return: r.returnId ? { id: r.returnId } : null,
          refundLineItems: r.lineItems.map((l) => ({ lineItem: { id: l.lineItemId }, quantity: l.quantity, restockType: r.restock ? 'RETURN' : 'NO_RESTOCK', subtotalSet: money(l.subtotal, order.currencyCode as string) })),
          transactions: gateway === null ? [] : [{ kind: 'REFUND', status: 'SUCCESS', gateway, amountSet: money(r.amount, order.currencyCode as string) }],
        });
        touch(order, r.createdAt);
        break;
      }
      case 'chargeback': {
        const c = event.chargeback;
        disputes.push({
          id: c.id,
          initiatedAt: c.initiatedAt,
          status: (c.status ?? 'needs_response').toUpperCase(),
          type: (c.type ?? 'chargeback').toUpperCase(),
          amount: { amount: c.amount.toFixed(2), currencyCode: 'USD' },
          reasonDetails: { reason: (c.reason ?? 'general').toUpperCase(), networkReasonCode: null },
          order: { id: c.orderId },
        });
        break;
      }
      case 'outcome':
        break;
    }
  }
  return { orders: [...orders.values()], disputes };
}
